package dev.scout.sqlite.db;

import dev.scout.sqlite.error.StateException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQLite database {@code scout.db} of a state directory: creating the directory (0700) and file
 * (0600), the connection (WAL, {@code synchronous=FULL}, busy timeout), the schema, and transactions.
 * The repositories ({@link ContactRepository} and the others) run all their SQL through
 * {@link #read} and {@link #write}; one connection, one lock, so a transaction never interleaves
 * with another on this connection, and {@code BEGIN IMMEDIATE} keeps other processes out of it.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    /** The database file in the state directory. */
    public static final String FILE = "scout.db";

    private final Path directory;
    private final Path identityFile;
    private final Path databaseFile;
    private final Clock clock;
    private final List<String> warnings;
    private Connection connection;

    private Database(Path directory, Clock clock, Connection connection, List<String> warnings) {
        this.directory = directory;
        this.identityFile = directory.resolve(IdentityFile.NAME);
        this.databaseFile = directory.resolve(FILE);
        this.clock = clock;
        this.connection = connection;
        this.warnings = warnings;
    }

    /**
     * Opens (creating if needed) the database in {@code directory}: creates the directory (0700) and
     * database (0600), tightens looser permissions, migrates the schema.
     *
     * @throws StateException if the directory or database cannot be used
     */
    public static Database open(Path directory, Clock clock, int busyTimeoutMillis) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(clock, "clock");
        Path dir = directory.toAbsolutePath().normalize();
        List<String> warnings = new ArrayList<>();
        Path db = dir.resolve(FILE);
        try {
            prepareDirectory(dir, warnings);
            prepareDatabaseFile(db, warnings);
            Path key = dir.resolve(IdentityFile.NAME);
            if (Files.exists(key)) {
                Permissions.tighten(key, Permissions.FILE, "identity key file", warnings);
            }
        } catch (IOException e) {
            throw new StateException("cannot prepare the state directory " + dir + ": " + IdentityFile.oneLine(e), e);
        }
        Connection connection = connect(db, busyTimeoutMillis, warnings);
        Database store = new Database(dir, clock, connection, warnings);
        try {
            store.initializeSchema();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        for (String warning : warnings) {
            LOG.debug("{}", warning);
        }
        return store;
    }

    private static void prepareDirectory(Path dir, List<String> warnings) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new StateException("the state directory " + dir + " exists but is not a directory");
        }
        if (!Files.exists(dir)) {
            Path parent = dir.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createDirectory(dir, parent == null ? new java.nio.file.attribute.FileAttribute<?>[0]
                        : Permissions.createAttributes(parent, Permissions.DIRECTORY));
            } catch (FileAlreadyExistsException e) {
                // Created concurrently by another process: fine, checked below.
            }
        }
        Permissions.tighten(dir, Permissions.DIRECTORY, "state directory", warnings);
    }

    private static void prepareDatabaseFile(Path db, List<String> warnings) throws IOException {
        if (!Files.exists(db)) {
            try {
                // An empty file is an empty SQLite database; creating it here gives it 0600 from the start,
                // and SQLite gives its -wal and -shm files the database file's permissions.
                Files.createFile(db, Permissions.createAttributes(db.getParent(), Permissions.FILE));
            } catch (FileAlreadyExistsException e) {
                // Created concurrently.
            }
        }
        Permissions.tighten(db, Permissions.FILE, "database", warnings);
        for (String suffix : List.of("-wal", "-shm")) {
            Path side = db.resolveSibling(db.getFileName() + suffix);
            if (Files.exists(side)) {
                Permissions.tighten(side, Permissions.FILE, "database file", warnings);
            }
        }
    }

    private static Connection connect(Path db, int busyTimeoutMillis, List<String> warnings) {
        Connection c;
        try {
            c = DriverManager.getConnection("jdbc:sqlite:" + db);
        } catch (SQLException e) {
            throw new StateException("cannot open the state database " + db + ": " + sqlMessage(e), e);
        }
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = " + busyTimeoutMillis);
            String mode;
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode = WAL")) {
                mode = rs.next() ? rs.getString(1) : "unknown";
            }
            if (!"wal".equalsIgnoreCase(mode)) {
                warnings.add("the state database " + db + " could not use write-ahead logging (journal mode "
                        + mode + "); it stays durable but concurrent access is slower");
            }
            s.execute("PRAGMA synchronous = FULL");
            s.execute("PRAGMA foreign_keys = ON");
            return c;
        } catch (SQLException e) {
            closeQuietly(c);
            if (e.getErrorCode() == 26 || String.valueOf(e.getMessage()).contains("SQLITE_NOTADB")) {
                throw new StateException(db + " is not a scout database (not an SQLite file)", e);
            }
            throw new StateException("cannot open the state database " + db + ": " + sqlMessage(e), e);
        }
    }

    private void initializeSchema() {
        int version = read("read the schema version", Schema::userVersion);
        if (version == Schema.CURRENT_VERSION) {
            checkApplicationId(read("read the application id", Schema::applicationId));
            return;
        }
        write("migrate the state database", c -> {
            int from = Schema.userVersion(c);
            checkApplicationId(Schema.applicationId(c));
            if (from > Schema.CURRENT_VERSION) {
                throw new StateException(databaseFile + " was written by a newer version of scout (schema version "
                        + from + "; this version understands up to " + Schema.CURRENT_VERSION + ")");
            }
            if (from == 0) {
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_master")) {
                    if (rs.next() && rs.getInt(1) > 0) {
                        throw new StateException(databaseFile + " is not a scout database (it holds other tables)");
                    }
                }
            }
            if (from < Schema.CURRENT_VERSION) {
                Schema.migrate(c, from, Schema.CURRENT_VERSION);
                LOG.debug("state database {} migrated from schema version {} to {}", databaseFile, from,
                        Schema.CURRENT_VERSION);
            }
            return null;
        });
    }

    private void checkApplicationId(int id) {
        if (id != 0 && id != Schema.APPLICATION_ID) {
            throw new StateException(databaseFile + " is not a scout database (application id 0x"
                    + Integer.toHexString(id) + ")");
        }
    }

    /** The state directory (absolute). */
    public Path directory() {
        return directory;
    }

    /** The identity file. */
    public Path identityFile() {
        return identityFile;
    }

    /** The database file. */
    public Path databaseFile() {
        return databaseFile;
    }

    /**
     * One-line warnings from {@link #open}: permissions that were looser than 0700/0600 and have been
     * tightened, an identity change that cleared pair state, a database without WAL. The caller decides
     * whether to show them; they are also logged at debug level.
     */
    public synchronized List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Adds a one-line warning for {@link #warnings()}. */
    public synchronized void addWarning(String warning) {
        warnings.add(warning);
    }

    /** Closes the database connection; further calls fail with {@link StateException}. Idempotent. */
    @Override
    public synchronized void close() {
        if (connection != null) {
            closeQuietly(connection);
            connection = null;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Transactions

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    public Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }

    public void checkOpen() {
        if (connection == null) {
            throw new StateException("the state database for " + directory + " is closed");
        }
    }

    /** Runs {@code work} in a write transaction taken up front (BEGIN IMMEDIATE). */
    public synchronized <T> T write(String what, Work<T> work) {
        return transaction("BEGIN IMMEDIATE", what, work);
    }

    /** Runs {@code work} in a read transaction (one consistent snapshot). */
    public synchronized <T> T read(String what, Work<T> work) {
        return transaction("BEGIN", what, work);
    }

    private <T> T transaction(String begin, String what, Work<T> work) {
        checkOpen();
        Connection c = connection;
        try {
            try (Statement s = c.createStatement()) {
                s.execute(begin);
            }
            boolean done = false;
            try {
                T result = work.run(c);
                try (Statement s = c.createStatement()) {
                    s.execute("COMMIT");
                }
                done = true;
                return result;
            } finally {
                if (!done) {
                    rollbackQuietly(c);
                }
            }
        } catch (SQLException e) {
            throw new StateException("cannot " + what + " in " + databaseFile + ": " + sqlMessage(e), e);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try (Statement s = c.createStatement()) {
            s.execute("ROLLBACK");
        } catch (SQLException e) {
            // Nothing open to roll back (the failure ended it), or the connection is gone.
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("closing the state database failed", e);
        }
    }

    private static String sqlMessage(SQLException e) {
        return IdentityFile.oneLine(e);
    }

    @Override
    public String toString() {
        return "Database[" + databaseFile + "]";
    }
}
