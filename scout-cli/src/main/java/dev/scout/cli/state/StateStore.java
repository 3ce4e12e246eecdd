package dev.scout.cli.state;

import dev.scout.core.RecordEntry;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.Ed25519PublicKey;
import dev.scout.core.message.ListHead;
import dev.scout.core.message.ListToken;
import dev.scout.core.message.MessageId;
import dev.scout.dht.RoutingTableStore;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CLI's durable state in its state directory: the identity seed in {@code identity.key}
 * and everything else in the SQLite database {@code scout.db}.
 *
 * <h2>Durability</h2>
 * The directory is mode 0700, both files 0600 (created so from the start; looser existing
 * permissions are tightened and reported in {@link #warnings()}). The database runs in WAL mode
 * with {@code synchronous=FULL}: once a method returns, its change survives a killed process or a
 * power cut. Every public method is one transaction; methods that change several rows change
 * all or none. Writes take the write lock up front ({@code BEGIN IMMEDIATE}) and wait up to
 * {@value #BUSY_TIMEOUT_MILLIS} ms for another process (the daemon and a one-shot command may share
 * the directory), so concurrent writers never interleave inside a transaction.
 *
 * <h2>Threads</h2>
 * One connection per store; every method is {@code synchronized}. Close it when done.
 *
 * <h2>Contacts and their data</h2>
 * Contact names are 1–64 ASCII letters, digits, '-', '_' or '.', unique case-insensitively, and
 * looked up case-insensitively; records returned carry the name as it was added.
 * {@link #removeContact} deletes the contact <em>and everything stored for it</em>: record
 * entries, outbox head, outgoing and received messages, read marks. Keeping them would leave
 * messages nobody can re-attach (re-adding the key starts a fresh outbox), and an orphaned
 * undelivered outbox would be re-stored by the daemon forever.
 *
 * <h2>Identity changes</h2>
 * Record entries, outgoing messages, outbox heads and read marks belong to the pair (own identity,
 * contact): they are sealed and signed with keys derived from it. When the identity is replaced
 * ({@link #initIdentity} with {@code force}), that pair state is cleared (contacts, received
 * messages, settings and the routing table are kept). The database remembers which public key its
 * pair state belongs to, so a crash between writing the new key and clearing is repaired at the
 * next {@link #open}.
 *
 * <pre>{@code
 * try (StateStore state = StateStore.open(stateDir)) {
 *     state.warnings().forEach(System.err::println);
 *     Ed25519KeyPair me = state.initIdentity(null, false).identity();
 *     state.addContact("alice", Ed25519PublicKey.parse(text));
 *     OutgoingMessage sent = state.pushOutgoing("alice", sealed);   // then put sent.value()
 * }
 * }</pre>
 */
public final class StateStore implements AutoCloseable {

    /** The database file in the state directory. */
    public static final String DATABASE_FILE = "scout.db";
    /** The identity file in the state directory. */
    public static final String IDENTITY_FILE = IdentityFile.NAME;
    /** How long a write waits for another process holding the database's write lock. */
    public static final int BUSY_TIMEOUT_MILLIS = 10_000;

    /** Setting: this installation's 23-bit device tag (decimal). */
    public static final String SETTING_DEVICE_TAG = "device.tag";
    /** Setting: this installation's device name (defaults to the host name). */
    public static final String SETTING_DEVICE_NAME = "device.name";
    /** Setting (internal): hex public key of the identity the pair state belongs to. */
    static final String SETTING_PAIR_OWNER = "identity.public_key";

    /** Longest device name in UTF-8 bytes (docs/app-format.md: {@code n} ≤ 32 bytes). */
    public static final int MAX_DEVICE_NAME_BYTES = 32;
    /** Longest setting or status key. */
    public static final int MAX_KEY_CHARS = 128;

    static final String STATUS_LAST_REPUBLISH = "last_republish";
    static final String STATUS_LAST_POLL = "last_poll";
    static final String STATUS_ROUTING_TABLE_SIZE = "routing_table_size";
    static final String STATUS_EXTERNAL_ADDRESS = "external_address";
    private static final Set<String> TYPED_STATUS = Set.of(STATUS_LAST_REPUBLISH, STATUS_LAST_POLL,
            STATUS_ROUTING_TABLE_SIZE, STATUS_EXTERNAL_ADDRESS);

    private static final Logger LOG = LoggerFactory.getLogger(StateStore.class);

    private final Path directory;
    private final Path identityFile;
    private final Path databaseFile;
    private final Clock clock;
    private final List<String> warnings;
    private Connection connection;

    private StateStore(Path directory, Clock clock, Connection connection, List<String> warnings) {
        this.directory = directory;
        this.identityFile = directory.resolve(IDENTITY_FILE);
        this.databaseFile = directory.resolve(DATABASE_FILE);
        this.clock = clock;
        this.connection = connection;
        this.warnings = warnings;
    }

    // ------------------------------------------------------------------------------------------
    // Opening and closing

    /** Opens (creating if needed) the state in {@code directory}, with the system clock. */
    public static StateStore open(Path directory) {
        return open(directory, Clock.systemUTC());
    }

    /**
     * Opens (creating if needed) the state in {@code directory}: creates the directory (0700) and
     * database (0600), tightens looser permissions, migrates the schema.
     *
     * @param clock the source of the "added", "created" and "received" times
     * @throws StateException if the directory or database cannot be used
     */
    public static StateStore open(Path directory, Clock clock) {
        return open(directory, clock, BUSY_TIMEOUT_MILLIS);
    }

    /** {@link #open(Path, Clock)} with another busy timeout (tests). */
    static StateStore open(Path directory, Clock clock, int busyTimeoutMillis) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(clock, "clock");
        Path dir = directory.toAbsolutePath().normalize();
        List<String> warnings = new ArrayList<>();
        Path db = dir.resolve(DATABASE_FILE);
        try {
            prepareDirectory(dir, warnings);
            prepareDatabaseFile(db, warnings);
            Path key = dir.resolve(IDENTITY_FILE);
            if (Files.exists(key)) {
                Permissions.tighten(key, Permissions.FILE, "identity key file", warnings);
            }
        } catch (IOException e) {
            throw new StateException("cannot prepare the state directory " + dir + ": " + IdentityFile.oneLine(e), e);
        }
        Connection connection = connect(db, busyTimeoutMillis, warnings);
        StateStore store = new StateStore(dir, clock, connection, warnings);
        try {
            store.initializeSchema();
            store.reconcileIdentityAtOpen();
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
    public List<String> warnings() {
        synchronized (this) {
            return List.copyOf(warnings);
        }
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
    // Identity

    /**
     * The identity, if {@code identity.key} exists.
     *
     * @throws KeyFileException if the file exists but is malformed
     */
    public synchronized Optional<Ed25519KeyPair> identity() {
        checkOpen();
        try {
            return Optional.of(IdentityFile.read(identityFile));
        } catch (NoIdentityException e) {
            return Optional.empty();
        }
    }

    /**
     * The identity.
     *
     * @throws NoIdentityException "no identity in DIR; run `scout init` first"
     * @throws KeyFileException if the file is malformed
     */
    public synchronized Ed25519KeyPair requireIdentity() {
        checkOpen();
        return IdentityFile.read(identityFile);
    }

    /**
     * Creates, restores or replaces the identity ({@code scout init [--seed HEX] [--force]}).
     * <ul>
     * <li>No identity yet: writes {@code seed} (or a new random one) → {@code CREATED}.</li>
     * <li>The same seed is already there, or no seed was given and {@code force} is not set:
     * nothing is written → {@code UNCHANGED} with the existing identity.</li>
     * <li>A different seed (or, with {@code force}, no seed: a new random identity) over an existing
     * or malformed file: {@link IdentityExistsException} / {@link KeyFileException} unless
     * {@code force}; with {@code force} the file is replaced and the pair state cleared →
     * {@code REPLACED}.</li>
     * </ul>
     * The file is written atomically (0600 temporary file, fsync, rename); a crash leaves the old or
     * the new key, never a torn one.
     *
     * @param seed 32 bytes, or {@code null} to generate one
     * @throws StateException if the seed is not 32 bytes or the file cannot be written
     */
    public synchronized IdentityInit initIdentity(byte[] seed, boolean force) {
        checkOpen();
        if (seed != null && seed.length != Ed25519KeyPair.SEED_BYTES) {
            throw new StateException("a seed must be " + Ed25519KeyPair.SEED_BYTES + " bytes (64 hex digits), got "
                    + seed.length + " bytes");
        }
        Ed25519KeyPair wanted = seed == null ? null : Ed25519KeyPair.ofSeed(seed);
        Ed25519KeyPair existing = null;
        KeyFileException malformed = null;
        try {
            existing = IdentityFile.read(identityFile);
        } catch (NoIdentityException e) {
            // none yet
        } catch (KeyFileException e) {
            malformed = e;
        }
        if (existing != null) {
            if ((wanted == null && !force) || (wanted != null && sameSeed(wanted, existing))) {
                reconcilePairOwner(existing);
                return new IdentityInit(existing, IdentityInit.Outcome.UNCHANGED);
            }
            if (!force) {
                throw identityExists(existing);
            }
        } else if (malformed != null && !force) {
            throw new KeyFileException(malformed.getMessage() + "; use --force to replace it", malformed);
        }
        Ed25519KeyPair next = wanted != null ? wanted : Ed25519KeyPair.generate();
        boolean replace = existing != null || malformed != null;
        byte[] nextSeed = next.seed();
        try {
            IdentityFile.write(identityFile, nextSeed, replace);
        } catch (FileAlreadyExistsException e) {
            // Another process created an identity between our check and our write.
            Ed25519KeyPair other = IdentityFile.read(identityFile);
            if (wanted == null || sameSeed(wanted, other)) {
                reconcilePairOwner(other);
                return new IdentityInit(other, IdentityInit.Outcome.UNCHANGED);
            }
            throw identityExists(other);
        } catch (IOException e) {
            throw new StateException("cannot write " + identityFile + ": " + IdentityFile.oneLine(e), e);
        } finally {
            Arrays.fill(nextSeed, (byte) 0);
        }
        reconcilePairOwner(next);
        LOG.debug("identity {} written to {}", next.publicKey().toZBase32(), identityFile);
        return new IdentityInit(next, replace ? IdentityInit.Outcome.REPLACED : IdentityInit.Outcome.CREATED);
    }

    private IdentityExistsException identityExists(Ed25519KeyPair existing) {
        return new IdentityExistsException("an identity already exists in " + directory + " (public key "
                + existing.publicKey().toZBase32() + "); use --force to replace it");
    }

    private static boolean sameSeed(Ed25519KeyPair a, Ed25519KeyPair b) {
        byte[] sa = a.seed();
        byte[] sb = b.seed();
        try {
            return MessageDigest.isEqual(sa, sb);
        } finally {
            Arrays.fill(sa, (byte) 0);
            Arrays.fill(sb, (byte) 0);
        }
    }

    private void reconcileIdentityAtOpen() {
        Ed25519KeyPair current;
        try {
            current = IdentityFile.read(identityFile);
        } catch (StateException e) {
            return; // no identity or a malformed file: reported when the identity is asked for
        }
        reconcilePairOwner(current);
    }

    /** Clears the pair state if it belongs to another identity, and records {@code owner} as its owner. */
    private void reconcilePairOwner(Ed25519KeyPair owner) {
        String hex = owner.publicKey().toHex();
        String recorded = read("read the identity's public key", c -> getSetting(c, SETTING_PAIR_OWNER));
        if (hex.equals(recorded)) {
            return;
        }
        boolean cleared = write("record the identity's public key", c -> {
            String before = getSetting(c, SETTING_PAIR_OWNER);
            boolean clear = before != null && !before.equals(hex);
            if (clear) {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("DELETE FROM entries");
                    s.executeUpdate("DELETE FROM outgoing");
                    s.executeUpdate("DELETE FROM outbox_heads");
                    s.executeUpdate("DELETE FROM read_marks");
                }
            }
            putSetting(c, SETTING_PAIR_OWNER, hex);
            return clear;
        });
        if (cleared) {
            warnings.add("the identity in " + directory + " changed to " + owner.publicKey().toZBase32()
                    + "; record entries, outgoing messages and read marks of the previous identity were cleared");
        }
    }

    // ------------------------------------------------------------------------------------------
    // Settings

    /** This installation's 23-bit device tag: random at first use, then kept. */
    public synchronized int deviceTag() {
        String stored = read("read the device tag", c -> getSetting(c, SETTING_DEVICE_TAG));
        if (stored != null) {
            return parseDeviceTag(stored);
        }
        return write("create the device tag", c -> {
            // INSERT OR IGNORE: if another process created one meanwhile, its tag wins.
            try (PreparedStatement p = c.prepareStatement("INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)")) {
                p.setString(1, SETTING_DEVICE_TAG);
                p.setString(2, Integer.toString(DeviceTags.random()));
                p.executeUpdate();
            }
            return parseDeviceTag(getSetting(c, SETTING_DEVICE_TAG));
        });
    }

    /** Replaces the device tag (after a collision with another device of the same identity). */
    public synchronized void setDeviceTag(int tag) {
        DeviceTags.requireValid(tag);
        write("store the device tag", c -> {
            putSetting(c, SETTING_DEVICE_TAG, Integer.toString(tag));
            return null;
        });
    }

    private int parseDeviceTag(String stored) {
        try {
            return DeviceTags.requireValid(Integer.parseInt(stored));
        } catch (IllegalArgumentException e) {
            throw new StateException("the device tag stored in " + databaseFile + " is not a 23-bit number");
        }
    }

    /** The device name: the one set, else the host name (at most 32 UTF-8 bytes), else "scout". */
    public synchronized String deviceName() {
        String stored = read("read the device name", c -> getSetting(c, SETTING_DEVICE_NAME));
        return stored != null ? stored : defaultDeviceName();
    }

    /**
     * Sets the device name shown to contacts.
     *
     * @throws IllegalArgumentException if it is empty, longer than 32 UTF-8 bytes or has control characters
     */
    public synchronized void setDeviceName(String name) {
        Objects.requireNonNull(name, "name");
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (name.isBlank() || bytes > MAX_DEVICE_NAME_BYTES || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a device name must be 1-" + MAX_DEVICE_NAME_BYTES
                    + " bytes of UTF-8 without control characters, got " + Names.display(name));
        }
        write("store the device name", c -> {
            putSetting(c, SETTING_DEVICE_NAME, name);
            return null;
        });
    }

    static String defaultDeviceName() {
        List<String> candidates = new ArrayList<>();
        candidates.add(System.getenv("HOSTNAME"));
        candidates.add(System.getenv("COMPUTERNAME"));
        try {
            Path proc = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(proc)) {
                candidates.add(Files.readString(proc));
            }
        } catch (IOException | RuntimeException e) {
            // try the next source
        }
        for (String candidate : candidates) {
            String name = cleanHostName(candidate);
            if (name != null) {
                return name;
            }
        }
        try {
            String name = cleanHostName(InetAddress.getLocalHost().getHostName());
            if (name != null) {
                return name;
            }
        } catch (IOException e) {
            // fall through
        }
        return "scout";
    }

    private static String cleanHostName(String raw) {
        if (raw == null) {
            return null;
        }
        String name = raw.strip();
        if (name.isEmpty() || name.chars().anyMatch(Character::isISOControl)) {
            return null;
        }
        while (name.getBytes(StandardCharsets.UTF_8).length > MAX_DEVICE_NAME_BYTES) {
            name = name.substring(0, name.offsetByCodePoints(name.length(), -1));
        }
        return name;
    }

    /** A free-form setting. */
    public synchronized Optional<String> setting(String key) {
        requireKey(key);
        return Optional.ofNullable(read("read a setting", c -> getSetting(c, key)));
    }

    /**
     * Stores a free-form setting. The device tag, device name and internal keys have their own
     * methods and are refused here.
     */
    public synchronized void putSetting(String key, String value) {
        requireFreeSettingKey(key);
        Objects.requireNonNull(value, "value");
        write("store a setting", c -> {
            putSetting(c, key, value);
            return null;
        });
    }

    /** Removes a free-form setting; returns whether it existed. */
    public synchronized boolean removeSetting(String key) {
        requireFreeSettingKey(key);
        return write("remove a setting", c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM settings WHERE key = ?")) {
                p.setString(1, key);
                return p.executeUpdate() > 0;
            }
        });
    }

    private static void requireKey(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_CHARS) {
            throw new IllegalArgumentException("a key must be 1-" + MAX_KEY_CHARS + " characters");
        }
    }

    private static void requireFreeSettingKey(String key) {
        requireKey(key);
        if (key.equals(SETTING_DEVICE_TAG) || key.equals(SETTING_DEVICE_NAME) || key.equals(SETTING_PAIR_OWNER)) {
            throw new IllegalArgumentException("the setting " + key + " has its own method");
        }
    }

    private static String getSetting(Connection c, String key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT value FROM settings WHERE key = ?")) {
            p.setString(1, key);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static void putSetting(Connection c, String key, String value) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
            p.setString(1, key);
            p.setString(2, value);
            p.executeUpdate();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Contacts

    /**
     * Adds a contact. Adding the same name with the same key again returns the existing contact.
     *
     * @throws InvalidContactNameException if the name is not 1–64 letters, digits, '-', '_' or '.'
     * @throws ContactConflictException if the name is taken by another key, or the key is already
     *     known under another name (the message names that contact)
     */
    public synchronized Contact addContact(String name, Ed25519PublicKey publicKey) {
        Names.requireValid(name);
        Objects.requireNonNull(publicKey, "publicKey");
        return write("add a contact", c -> {
            Optional<Contact> byName = selectContact(c, "name = ?", name);
            Optional<Contact> byKey = selectContact(c, "public_key = ?", publicKey.bytes());
            if (byName.isPresent()) {
                if (byName.get().publicKey().equals(publicKey)) {
                    return byName.get();
                }
                throw new ContactConflictException("a contact named " + Names.display(byName.get().name())
                        + " already exists with another public key (" + byName.get().publicKey().toZBase32() + ")",
                        byName.get().name());
            }
            if (byKey.isPresent()) {
                throw new ContactConflictException("public key " + publicKey.toZBase32()
                        + " is already the contact " + Names.display(byKey.get().name()), byKey.get().name());
            }
            Instant now = now();
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO contacts (name, public_key, added_at) VALUES (?, ?, ?)")) {
                p.setString(1, name);
                p.setBytes(2, publicKey.bytes());
                p.setLong(3, now.toEpochMilli());
                p.executeUpdate();
            }
            return new Contact(name, publicKey, now);
        });
    }

    /** The contact called {@code name} (case-insensitive). @throws UnknownContactException if none */
    public synchronized Contact contact(String name) {
        return findContact(name).orElseThrow(() -> new UnknownContactException(name));
    }

    /** The contact called {@code name} (case-insensitive), if any. */
    public synchronized Optional<Contact> findContact(String name) {
        Objects.requireNonNull(name, "name");
        return read("look up a contact", c -> selectContact(c, "name = ?", name));
    }

    /** The contact with {@code publicKey}, if any. */
    public synchronized Optional<Contact> findContact(Ed25519PublicKey publicKey) {
        Objects.requireNonNull(publicKey, "publicKey");
        return read("look up a contact", c -> selectContact(c, "public_key = ?", publicKey.bytes()));
    }

    /** Every contact, by name (case-insensitive order). */
    public synchronized List<Contact> contacts() {
        return read("list contacts", c -> {
            List<Contact> out = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT name, public_key, added_at FROM contacts ORDER BY name, id")) {
                while (rs.next()) {
                    out.add(contactFrom(rs));
                }
            }
            return out;
        });
    }

    /**
     * Removes a contact and everything stored for it (entries, outbox, outgoing and received
     * messages, read marks), atomically.
     *
     * @throws UnknownContactException if there is no such contact
     */
    public synchronized void removeContact(String name) {
        Objects.requireNonNull(name, "name");
        write("remove a contact", c -> {
            long id = contactId(c, name);
            try (PreparedStatement p = c.prepareStatement("DELETE FROM contacts WHERE id = ?")) {
                p.setLong(1, id);
                p.executeUpdate();
            }
            return null;
        });
    }

    private static Optional<Contact> selectContact(Connection c, String where, Object value) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT name, public_key, added_at FROM contacts WHERE " + where)) {
            p.setObject(1, value);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(contactFrom(rs)) : Optional.empty();
            }
        }
    }

    private static Contact contactFrom(ResultSet rs) throws SQLException {
        return new Contact(rs.getString(1), Ed25519PublicKey.of(rs.getBytes(2)), Instant.ofEpochMilli(rs.getLong(3)));
    }

    private static long contactId(Connection c, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT id FROM contacts WHERE name = ?")) {
            p.setString(1, name);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    throw new UnknownContactException(name);
                }
                return rs.getLong(1);
            }
        }
    }

    /** (id, canonical name) of a contact. */
    private record ContactRef(long id, String name) {}

    private static ContactRef contactRef(Connection c, String name) throws SQLException {
        Objects.requireNonNull(name, "contact");
        try (PreparedStatement p = c.prepareStatement("SELECT id, name FROM contacts WHERE name = ?")) {
            p.setString(1, name);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    throw new UnknownContactException(name);
                }
                return new ContactRef(rs.getLong(1), rs.getString(2));
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Record entries

    /**
     * Replaces the contact's stored entry list (the last merged record) with {@code entries}, atomically.
     *
     * @throws IllegalArgumentException if two entries share an id
     * @throws UnknownContactException if there is no such contact
     */
    public synchronized void replaceEntries(String contact, Collection<RecordEntry> entries) {
        List<RecordEntry> list = List.copyOf(entries);
        Set<Long> ids = new HashSet<>();
        for (RecordEntry e : list) {
            if (!ids.add(e.id())) {
                throw new IllegalArgumentException("entry id " + e.id() + " appears twice");
            }
        }
        write("store record entries", c -> {
            long id = contactId(c, contact);
            try (PreparedStatement p = c.prepareStatement("DELETE FROM entries WHERE contact_id = ?")) {
                p.setLong(1, id);
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO entries (contact_id, entry_id, seq, flags, content) VALUES (?, ?, ?, ?, ?)")) {
                for (RecordEntry e : list) {
                    p.setLong(1, id);
                    p.setLong(2, e.id());
                    p.setLong(3, e.seq());
                    p.setInt(4, e.flags());
                    p.setBytes(5, e.content());
                    p.addBatch();
                }
                p.executeBatch();
            }
            return null;
        });
    }

    /** The contact's stored entries, by id (empty if never synchronized). */
    public synchronized List<RecordEntry> entries(String contact) {
        return read("read record entries", c -> {
            long id = contactId(c, contact);
            List<RecordEntry> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT entry_id, seq, flags, content FROM entries WHERE contact_id = ? ORDER BY entry_id")) {
                p.setLong(1, id);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        byte[] content = rs.getBytes(4);
                        out.add(new RecordEntry(rs.getLong(1), rs.getLong(2), rs.getInt(3), content == null ? new byte[0] : content));
                    }
                }
            }
            return out;
        });
    }

    // ------------------------------------------------------------------------------------------
    // Outgoing messages

    /** The id of the newest message sent to the contact, {@link MessageId#END} if none. */
    public synchronized MessageId outboxHead(String contact) {
        return read("read the outbox head", c -> head(c, contactId(c, contact)));
    }

    /**
     * Chains {@code message} (the sealed body) onto the contact's outgoing list, records it and moves
     * the head to it — one transaction, so concurrent senders (even in other processes) never link to
     * the same predecessor. Store {@link OutgoingMessage#value()} in the DHT afterwards; until it is
     * delivered, {@link #undelivered()} keeps listing it for re-storing.
     *
     * @throws dev.scout.dht.LimitExceededException if the message is longer than a blob can carry
     * @throws UnknownContactException if there is no such contact
     */
    public synchronized OutgoingMessage pushOutgoing(String contact, byte[] message) {
        Objects.requireNonNull(message, "message");
        return write("record a sent message", c -> {
            ContactRef ref = contactRef(c, contact);
            ListToken token = new ListHead(head(c, ref.id())).pushFront(message);
            return insertOutgoing(c, ref, token.id(), token.next(), token.value());
        });
    }

    /**
     * Records a message chained by the caller and moves the head to it, in one transaction. The token
     * must link to the current head (compare-and-set).
     *
     * @throws StateException if {@code token.next()} is not the current head (another sender moved it;
     *     chain again from {@link #outboxHead}) or its id does not match its value
     */
    public synchronized OutgoingMessage recordSent(String contact, ListToken token) {
        Objects.requireNonNull(token, "token");
        byte[] value = token.value();
        if (!MessageId.ofValue(value).equals(token.id())) {
            throw new IllegalArgumentException("token id " + token.id() + " is not the SHA-1 of its value");
        }
        return write("record a sent message", c -> {
            ContactRef ref = contactRef(c, contact);
            MessageId head = head(c, ref.id());
            if (!head.equals(token.next())) {
                throw new StateException("the outbox of " + Names.display(ref.name()) + " moved: its head is " + head
                        + " but the message links to " + token.next() + "; chain the message again");
            }
            return insertOutgoing(c, ref, token.id(), token.next(), value);
        });
    }

    private OutgoingMessage insertOutgoing(Connection c, ContactRef ref, MessageId id, MessageId next, byte[] value)
            throws SQLException {
        Instant now = now();
        try (PreparedStatement p = c.prepareStatement("INSERT INTO outgoing (contact_id, message_id, next_id, value, "
                + "created_at, delivered) VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT (contact_id, message_id) DO NOTHING")) {
            p.setLong(1, ref.id());
            p.setBytes(2, id.bytes());
            p.setBytes(3, next.bytes());
            p.setBytes(4, value);
            p.setLong(5, now.toEpochMilli());
            if (p.executeUpdate() == 0) {
                throw new StateException("message " + id + " to " + Names.display(ref.name()) + " was already recorded");
            }
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO outbox_heads (contact_id, head) VALUES (?, ?) "
                + "ON CONFLICT (contact_id) DO UPDATE SET head = excluded.head")) {
            p.setLong(1, ref.id());
            p.setBytes(2, id.bytes());
            p.executeUpdate();
        }
        return new OutgoingMessage(ref.name(), id, next, value, now, false);
    }

    private static MessageId head(Connection c, long contactId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT head FROM outbox_heads WHERE contact_id = ?")) {
            p.setLong(1, contactId);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? MessageId.of(rs.getBytes(1)) : MessageId.END;
            }
        }
    }

    private static final String OUTGOING_COLUMNS =
            "SELECT c.name, o.message_id, o.next_id, o.value, o.created_at, o.delivered "
                    + "FROM outgoing o JOIN contacts c ON c.id = o.contact_id ";

    /** Every message sent to the contact, newest first. */
    public synchronized List<OutgoingMessage> outgoing(String contact) {
        return read("list sent messages", c -> {
            long id = contactId(c, contact);
            return queryOutgoing(c, OUTGOING_COLUMNS + "WHERE o.contact_id = ? ORDER BY o.seq DESC", id);
        });
    }

    /** Undelivered messages to every contact, oldest first: what the daemon re-stores. */
    public synchronized List<OutgoingMessage> undelivered() {
        return read("list undelivered messages",
                c -> queryOutgoing(c, OUTGOING_COLUMNS + "WHERE o.delivered = 0 ORDER BY o.seq"));
    }

    /** Undelivered messages to the contact, oldest first. */
    public synchronized List<OutgoingMessage> undelivered(String contact) {
        return read("list undelivered messages", c -> {
            long id = contactId(c, contact);
            return queryOutgoing(c, OUTGOING_COLUMNS + "WHERE o.contact_id = ? AND o.delivered = 0 ORDER BY o.seq", id);
        });
    }

    private static List<OutgoingMessage> queryOutgoing(Connection c, String sql, Object... args) throws SQLException {
        List<OutgoingMessage> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new OutgoingMessage(rs.getString(1), MessageId.of(rs.getBytes(2)),
                            MessageId.of(rs.getBytes(3)), rs.getBytes(4), Instant.ofEpochMilli(rs.getLong(5)),
                            rs.getInt(6) != 0));
                }
            }
        }
        return out;
    }

    /**
     * Marks {@code upTo} and every older message of the contact's chain delivered (the contact's read
     * mark for this device reached it), walking the next pointers down. Stops at the end of the chain,
     * at an id this device never sent, or at a message already delivered (everything older is then
     * delivered too). Returns how many messages became delivered.
     */
    public synchronized int markDelivered(String contact, MessageId upTo) {
        Objects.requireNonNull(upTo, "upTo");
        return write("mark messages delivered", c -> {
            long id = contactId(c, contact);
            int count = 0;
            MessageId current = upTo;
            try (PreparedStatement find = c.prepareStatement(
                    "SELECT next_id, delivered FROM outgoing WHERE contact_id = ? AND message_id = ?");
                 PreparedStatement mark = c.prepareStatement(
                         "UPDATE outgoing SET delivered = 1 WHERE contact_id = ? AND message_id = ?")) {
                while (!current.isEnd()) {
                    find.setLong(1, id);
                    find.setBytes(2, current.bytes());
                    MessageId next;
                    try (ResultSet rs = find.executeQuery()) {
                        if (!rs.next() || rs.getInt(2) != 0) {
                            break;
                        }
                        next = MessageId.of(rs.getBytes(1));
                    }
                    mark.setLong(1, id);
                    mark.setBytes(2, current.bytes());
                    mark.executeUpdate();
                    count++;
                    current = next; // a cycle would need a SHA-1 collision; marking delivered ends it anyway
                }
            }
            return count;
        });
    }

    // ------------------------------------------------------------------------------------------
    // Received messages and read marks

    /**
     * Records received messages that are not recorded yet (idempotent: known ids are skipped) and then
     * applies {@code marks}, all in one transaction. Give each device's messages oldest first: the
     * recording order is what "older than the read mark" means.
     *
     * @return the messages that were new, in the order given
     * @throws UnknownContactException if there is no such contact
     */
    public synchronized List<ReceivedMessage> addReceived(String contact, List<IncomingMessage> messages,
                                                          List<ReadMark> marks) {
        List<IncomingMessage> incoming = List.copyOf(messages);
        List<ReadMark> newMarks = List.copyOf(marks);
        return write("record received messages", c -> {
            ContactRef ref = contactRef(c, contact);
            Instant now = now();
            List<ReceivedMessage> added = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("INSERT INTO received (contact_id, device_tag, message_id, "
                    + "text, sent_at, received_at, is_read) VALUES (?, ?, ?, ?, ?, ?, 0) "
                    + "ON CONFLICT (contact_id, message_id) DO NOTHING")) {
                for (IncomingMessage m : incoming) {
                    p.setLong(1, ref.id());
                    p.setInt(2, m.deviceTag());
                    p.setBytes(3, m.id().bytes());
                    p.setString(4, m.text());
                    p.setLong(5, m.sentAt().toEpochMilli());
                    p.setLong(6, now.toEpochMilli());
                    if (p.executeUpdate() > 0) {
                        added.add(new ReceivedMessage(lastRowId(c), ref.name(), m.deviceTag(), m.id(), m.text(),
                                Instant.ofEpochMilli(m.sentAt().toEpochMilli()), now, false));
                    }
                }
            }
            applyReadMarks(c, ref.id(), newMarks);
            if (newMarks.isEmpty()) {
                return added;
            }
            // Report the read state as it is after the marks.
            List<ReceivedMessage> result = new ArrayList<>(added.size());
            for (ReceivedMessage m : added) {
                result.add(new ReceivedMessage(m.seq(), m.contact(), m.deviceTag(), m.id(), m.text(), m.sentAt(),
                        m.receivedAt(), isRead(c, m.seq())));
            }
            return result;
        });
    }

    /**
     * Moves read marks: for each mark, the contact device's mark becomes {@code messageId} and every
     * recorded message from that device up to it becomes read. A mark never moves back to a message
     * recorded before the current one.
     */
    public synchronized void markRead(String contact, List<ReadMark> marks) {
        List<ReadMark> newMarks = List.copyOf(marks);
        write("update read marks", c -> {
            applyReadMarks(c, contactId(c, contact), newMarks);
            return null;
        });
    }

    /** The contact's read marks, by device tag. */
    public synchronized List<ReadMark> readMarks(String contact) {
        return read("read read marks", c -> {
            long id = contactId(c, contact);
            List<ReadMark> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT device_tag, message_id FROM read_marks WHERE contact_id = ? ORDER BY device_tag")) {
                p.setLong(1, id);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ReadMark(rs.getInt(1), MessageId.of(rs.getBytes(2))));
                    }
                }
            }
            return out;
        });
    }

    /** Whether the message was already recorded for the contact (so an inbox walk can stop there). */
    public synchronized boolean hasReceived(String contact, MessageId id) {
        Objects.requireNonNull(id, "id");
        return read("look up a received message", c -> {
            long contactId = contactId(c, contact);
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT 1 FROM received WHERE contact_id = ? AND message_id = ?")) {
                p.setLong(1, contactId);
                p.setBytes(2, id.bytes());
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Received messages matching {@code query}, in recording order (oldest first). */
    public synchronized List<ReceivedMessage> received(ReceivedQuery query) {
        Objects.requireNonNull(query, "query");
        return read("list received messages", c -> {
            StringBuilder sql = new StringBuilder("SELECT r.seq, c.name, r.device_tag, r.message_id, r.text, r.sent_at, "
                    + "r.received_at, r.is_read FROM received r JOIN contacts c ON c.id = r.contact_id WHERE 1 = 1");
            List<Object> args = new ArrayList<>();
            if (query.contact() != null) {
                sql.append(" AND r.contact_id = ?");
                args.add(contactId(c, query.contact()));
            }
            if (query.onlyUnread()) {
                sql.append(" AND r.is_read = 0");
            }
            if (query.since() != null) {
                sql.append(" AND r.received_at >= ?");
                args.add(query.since().toEpochMilli());
            }
            sql.append(" ORDER BY r.seq");
            List<ReceivedMessage> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    p.setObject(i + 1, args.get(i));
                }
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ReceivedMessage(rs.getLong(1), rs.getString(2), rs.getInt(3),
                                MessageId.of(rs.getBytes(4)), rs.getString(5), Instant.ofEpochMilli(rs.getLong(6)),
                                Instant.ofEpochMilli(rs.getLong(7)), rs.getInt(8) != 0));
                    }
                }
            }
            return out;
        });
    }

    private void applyReadMarks(Connection c, long contactId, List<ReadMark> marks) throws SQLException {
        for (ReadMark mark : marks) {
            Long newSeq = receivedSeq(c, contactId, mark.deviceTag(), mark.messageId());
            MessageId current = null;
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT message_id FROM read_marks WHERE contact_id = ? AND device_tag = ?")) {
                p.setLong(1, contactId);
                p.setInt(2, mark.deviceTag());
                try (ResultSet rs = p.executeQuery()) {
                    if (rs.next()) {
                        current = MessageId.of(rs.getBytes(1));
                    }
                }
            }
            if (current != null && newSeq != null) {
                Long currentSeq = receivedSeq(c, contactId, mark.deviceTag(), current);
                if (currentSeq != null && currentSeq > newSeq) {
                    continue; // never move a mark back
                }
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO read_marks (contact_id, device_tag, message_id, "
                    + "updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (contact_id, device_tag) DO UPDATE SET "
                    + "message_id = excluded.message_id, updated_at = excluded.updated_at")) {
                p.setLong(1, contactId);
                p.setInt(2, mark.deviceTag());
                p.setBytes(3, mark.messageId().bytes());
                p.setLong(4, now().toEpochMilli());
                p.executeUpdate();
            }
            if (newSeq != null) {
                try (PreparedStatement p = c.prepareStatement("UPDATE received SET is_read = 1 WHERE contact_id = ? "
                        + "AND device_tag = ? AND seq <= ? AND is_read = 0")) {
                    p.setLong(1, contactId);
                    p.setInt(2, mark.deviceTag());
                    p.setLong(3, newSeq);
                    p.executeUpdate();
                }
            }
        }
    }

    private static Long receivedSeq(Connection c, long contactId, int deviceTag, MessageId id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT seq FROM received WHERE contact_id = ? AND device_tag = ? AND message_id = ?")) {
            p.setLong(1, contactId);
            p.setInt(2, deviceTag);
            p.setBytes(3, id.bytes());
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static boolean isRead(Connection c, long seq) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT is_read FROM received WHERE seq = ?")) {
            p.setLong(1, seq);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() && rs.getInt(1) != 0;
            }
        }
    }

    private static long lastRowId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT last_insert_rowid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // ------------------------------------------------------------------------------------------
    // DHT routing table

    /**
     * A {@link RoutingTableStore} keeping the node's id, routing table and external address as one
     * row. Hand it to {@code DhtConfig.Builder.stateStore}. It shares this store's connection and
     * lock: a save waits for a method running on another thread, or up to the busy timeout for
     * another process's write.
     */
    public RoutingTableStore routingTableStore() {
        return new RoutingTableStore() {
            @Override
            public Optional<byte[]> load() throws IOException {
                try {
                    return Optional.ofNullable(loadRoutingTable());
                } catch (StateException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }

            @Override
            public void save(byte[] state) throws IOException {
                try {
                    saveRoutingTable(state);
                } catch (StateException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }

            @Override
            public String toString() {
                return databaseFile + " (routing_table)";
            }
        };
    }

    private synchronized byte[] loadRoutingTable() {
        return read("load the routing table", c -> {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT state FROM routing_table WHERE slot = 1")) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        });
    }

    private synchronized void saveRoutingTable(byte[] data) {
        write("save the routing table", c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO routing_table (slot, state, saved_at) "
                    + "VALUES (1, ?, ?) ON CONFLICT (slot) DO UPDATE SET state = excluded.state, saved_at = excluded.saved_at")) {
                p.setBytes(1, data);
                p.setLong(2, now().toEpochMilli());
                p.executeUpdate();
            }
            return null;
        });
    }

    // ------------------------------------------------------------------------------------------
    // Daemon status

    /** The daemon re-stored records and messages at {@code at}. */
    public synchronized void recordRepublish(Instant at) {
        putStatusValue(STATUS_LAST_REPUBLISH, Long.toString(at.toEpochMilli()));
    }

    /** The daemon polled its contacts at {@code at}. */
    public synchronized void recordPoll(Instant at) {
        putStatusValue(STATUS_LAST_POLL, Long.toString(at.toEpochMilli()));
    }

    /** The daemon's routing table holds {@code size} nodes. */
    public synchronized void recordRoutingTableSize(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("routing table size must not be negative, got " + size);
        }
        putStatusValue(STATUS_ROUTING_TABLE_SIZE, Integer.toString(size));
    }

    /** The daemon's external address as the DHT reports it; {@code null} clears it. */
    public synchronized void recordExternalAddress(InetSocketAddress address) {
        if (address == null) {
            write("clear a status value", c -> {
                try (PreparedStatement p = c.prepareStatement("DELETE FROM daemon_status WHERE key = ?")) {
                    p.setString(1, STATUS_EXTERNAL_ADDRESS);
                    p.executeUpdate();
                }
                return null;
            });
            return;
        }
        putStatusValue(STATUS_EXTERNAL_ADDRESS, formatAddress(address));
    }

    /** Any other status value, shown by {@code scout status} under {@link DaemonStatus#other()}. */
    public synchronized void putStatus(String key, String value) {
        requireKey(key);
        Objects.requireNonNull(value, "value");
        if (TYPED_STATUS.contains(key)) {
            throw new IllegalArgumentException("the status value " + key + " has its own method");
        }
        putStatusValue(key, value);
    }

    /** Everything the daemon reported. */
    public synchronized DaemonStatus daemonStatus() {
        Map<String, String> values = new HashMap<>();
        long[] newest = {Long.MIN_VALUE};
        read("read the daemon status", c -> {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT key, value, updated_at FROM daemon_status")) {
                while (rs.next()) {
                    values.put(rs.getString(1), rs.getString(2));
                    newest[0] = Math.max(newest[0], rs.getLong(3));
                }
            }
            return null;
        });
        Map<String, String> other = new HashMap<>(values);
        other.keySet().removeAll(TYPED_STATUS);
        OptionalInt size = OptionalInt.empty();
        try {
            String raw = values.get(STATUS_ROUTING_TABLE_SIZE);
            if (raw != null) {
                size = OptionalInt.of(Integer.parseInt(raw));
            }
        } catch (NumberFormatException e) {
            // unreadable: treat as never reported
        }
        return new DaemonStatus(instantValue(values.get(STATUS_LAST_REPUBLISH)), instantValue(values.get(STATUS_LAST_POLL)),
                size, Optional.ofNullable(values.get(STATUS_EXTERNAL_ADDRESS)),
                newest[0] == Long.MIN_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(newest[0])), other);
    }

    private void putStatusValue(String key, String value) {
        write("store the daemon status", c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO daemon_status (key, value, updated_at) "
                    + "VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at")) {
                p.setString(1, key);
                p.setString(2, value);
                p.setLong(3, now().toEpochMilli());
                p.executeUpdate();
            }
            return null;
        });
    }

    private static Optional<Instant> instantValue(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.ofEpochMilli(Long.parseLong(raw)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static String formatAddress(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String host = ip == null ? address.getHostString() : ip.getHostAddress();
        if (ip instanceof Inet6Address) {
            int zone = host.indexOf('%');
            host = "[" + (zone >= 0 ? host.substring(0, zone) : host) + "]";
        }
        return host + ":" + address.getPort();
    }

    // ------------------------------------------------------------------------------------------
    // Transactions

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }

    private void checkOpen() {
        if (connection == null) {
            throw new StateException("the state store for " + directory + " is closed");
        }
    }

    /** Runs {@code work} in a write transaction taken up front (BEGIN IMMEDIATE). */
    private synchronized <T> T write(String what, Work<T> work) {
        return transaction("BEGIN IMMEDIATE", what, work);
    }

    /** Runs {@code work} in a read transaction (one consistent snapshot). */
    private synchronized <T> T read(String what, Work<T> work) {
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
        return "StateStore[" + directory + "]";
    }
}
