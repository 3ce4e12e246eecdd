package dev.scout.sqlite;

import dev.scout.sqlite.db.Schema;
import dev.scout.sqlite.error.IdentityExistsException;
import dev.scout.sqlite.error.KeyFileException;
import dev.scout.sqlite.error.NoIdentityException;
import dev.scout.sqlite.error.StateException;
import dev.scout.app.Contact;
import dev.scout.app.ReadMark;
import dev.scout.app.IncomingMessage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scout.dht.Ed25519KeyPair;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The directory, its permissions, the identity file and the database's configuration and schema. */
class StateDirectoryTest {

    @TempDir
    Path tmp;

    private Path dir() {
        return tmp.resolve("nested").resolve("state");
    }

    @Test
    void createsDirectoryAndDatabaseOwnerOnly() throws Exception {
        try (StateStore store = StateStore.open(dir())) {
            assertThat(store.warnings()).isEmpty();
            assertThat(store.directory()).isEqualTo(dir().toAbsolutePath());
            store.initIdentity(null, false);
            store.addContact("bob", Keys.key(1));
            store.pushOutgoing("bob", new byte[] {1, 2, 3});
            try (Stream<Path> files = Files.list(dir())) {
                // While open: identity.key, scout.db and SQLite's -wal and -shm files, all owner-only.
                for (Path f : files.toList()) {
                    assertThat(Keys.perms(f)).as(f.toString()).isEqualTo("rw-------");
                }
            }
        }
        assertThat(Keys.perms(dir())).isEqualTo("rwx------");
        assertThat(Keys.perms(dir().resolve("scout.db"))).isEqualTo("rw-------");
        // SQLite's side files (if any remain) inherit the database's mode.
        try (Stream<Path> files = Files.list(dir())) {
            for (Path f : files.toList()) {
                assertThat(Keys.perms(f)).as(f.toString()).isEqualTo("rw-------");
            }
        }
    }

    @Test
    void tightensLooserPermissionsAndWarns() throws Exception {
        Files.createDirectories(dir(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(dir(), PosixFilePermissions.fromString("rwxr-xr-x"));
        try (StateStore store = StateStore.open(dir())) {
            store.initIdentity(null, false);
        }
        Files.setPosixFilePermissions(dir(), PosixFilePermissions.fromString("rwxrwxr-x"));
        Files.setPosixFilePermissions(dir().resolve("scout.db"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(dir().resolve("identity.key"), PosixFilePermissions.fromString("rw-r-----"));
        try (StateStore store = StateStore.open(dir())) {
            assertThat(store.warnings()).hasSize(3);
            assertThat(store.warnings().get(0)).contains("state directory").contains("rwxrwxr-x").contains("rwx------");
            assertThat(String.join("\n", store.warnings())).contains("scout.db").contains("identity.key");
        }
        assertThat(Keys.perms(dir())).isEqualTo("rwx------");
        assertThat(Keys.perms(dir().resolve("scout.db"))).isEqualTo("rw-------");
        assertThat(Keys.perms(dir().resolve("identity.key"))).isEqualTo("rw-------");
        try (StateStore store = StateStore.open(dir())) {
            assertThat(store.warnings()).isEmpty();
        }
    }

    @Test
    void aSymlinkedStateDirectoryIsFollowed() throws Exception {
        Path real = tmp.resolve("real");
        try (StateStore store = StateStore.open(real)) {
            store.initIdentity(Keys.seed(5), false);
        }
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        try (StateStore store = StateStore.open(link)) {
            assertThat(store.warnings()).isEmpty();
            assertThat(store.requireIdentity().publicKey()).isEqualTo(Keys.key(5));
        }
        assertThat(Keys.perms(real)).isEqualTo("rwx------");
    }

    @Test
    void aFileWhereTheDirectoryShouldBeIsAnError() throws Exception {
        Files.writeString(tmp.resolve("file"), "x");
        assertThatThrownBy(() -> StateStore.open(tmp.resolve("file")))
                .isInstanceOf(StateException.class).hasMessageContaining("is not a directory");
    }

    // ---------------------------------------------------------------------------------- identity

    @Test
    void initCreatesAnOwnerOnlyKeyFileWithHexSeed() throws Exception {
        try (StateStore store = StateStore.open(dir())) {
            assertThat(store.identity()).isEmpty();
            IdentityInit init = store.initIdentity(Keys.seed(7), false);
            assertThat(init.outcome()).isEqualTo(IdentityInit.Outcome.CREATED);
            assertThat(init.identity().publicKey()).isEqualTo(Keys.key(7));
            assertThat(store.requireIdentity().publicKey()).isEqualTo(Keys.key(7));
        }
        Path key = dir().resolve("identity.key");
        assertThat(Files.readString(key)).isEqualTo(HexFormat.of().formatHex(Keys.seed(7)) + "\n");
        assertThat(Keys.perms(key)).isEqualTo("rw-------");
        try (Stream<Path> files = Files.list(dir())) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
        try (StateStore store = StateStore.open(dir())) {
            assertThat(store.identity().map(Ed25519KeyPair::publicKey)).contains(Keys.key(7));
        }
    }

    @Test
    void initWithoutSeedGeneratesOnceThenKeepsIt() {
        try (StateStore store = StateStore.open(dir())) {
            IdentityInit first = store.initIdentity(null, false);
            assertThat(first.outcome()).isEqualTo(IdentityInit.Outcome.CREATED);
            IdentityInit again = store.initIdentity(null, false);
            assertThat(again.outcome()).isEqualTo(IdentityInit.Outcome.UNCHANGED);
            assertThat(again.identity().publicKey()).isEqualTo(first.identity().publicKey());
            IdentityInit sameSeed = store.initIdentity(first.identity().seed(), false);
            assertThat(sameSeed.outcome()).isEqualTo(IdentityInit.Outcome.UNCHANGED);
        }
    }

    @Test
    void initWithAnotherSeedNeedsForce() throws Exception {
        try (StateStore store = StateStore.open(dir())) {
            store.initIdentity(Keys.seed(1), false);
            String before = Files.readString(store.identityFile());
            assertThatThrownBy(() -> store.initIdentity(Keys.seed(2), false))
                    .isInstanceOf(IdentityExistsException.class)
                    .hasMessage("an identity already exists in " + store.directory() + " (public key "
                            + Keys.key(1).toZBase32() + "); use --force to replace it");
            assertThat(Files.readString(store.identityFile())).isEqualTo(before);

            IdentityInit replaced = store.initIdentity(Keys.seed(2), true);
            assertThat(replaced.outcome()).isEqualTo(IdentityInit.Outcome.REPLACED);
            assertThat(store.requireIdentity().publicKey()).isEqualTo(Keys.key(2));
            assertThat(Keys.perms(store.identityFile())).isEqualTo("rw-------");

            IdentityInit random = store.initIdentity(null, true);
            assertThat(random.outcome()).isEqualTo(IdentityInit.Outcome.REPLACED);
            assertThat(random.identity().publicKey()).isNotEqualTo(Keys.key(2));
            assertThat(store.requireIdentity().publicKey()).isEqualTo(random.identity().publicKey());
        }
    }

    @Test
    void replacingTheIdentityClearsPairStateButKeepsContactsAndInbox() {
        try (StateStore store = StateStore.open(dir())) {
            store.initIdentity(Keys.seed(1), false);
            store.addContact("bob", Keys.key(9));
            store.replaceEntries("bob", java.util.List.of(dev.scout.core.RecordEntry.of(5, new byte[] {1})));
            store.pushOutgoing("bob", new byte[] {1, 2, 3});
            store.addReceived("bob", java.util.List.of(new IncomingMessage(3, Keys.messageId(1), "hi",
                    java.time.Instant.EPOCH)), java.util.List.of(new ReadMark(3, Keys.messageId(1))));

            store.initIdentity(Keys.seed(1), true); // same seed: nothing changes
            assertThat(store.outgoing("bob")).hasSize(1);

            store.initIdentity(Keys.seed(2), true);
            assertThat(store.contacts()).extracting(Contact::name).containsExactly("bob");
            assertThat(store.entries("bob")).isEmpty();
            assertThat(store.outgoing("bob")).isEmpty();
            assertThat(store.outboxHead("bob").isEnd()).isTrue();
            assertThat(store.readMarks("bob")).isEmpty();
            assertThat(store.received(ReceivedQuery.all())).hasSize(1);
        }
    }

    @Test
    void aKeyChangedBehindTheStoresBackClearsPairStateAtOpen() throws Exception {
        try (StateStore store = StateStore.open(dir())) {
            store.initIdentity(Keys.seed(1), false);
            store.addContact("bob", Keys.key(9));
            store.pushOutgoing("bob", new byte[] {1});
        }
        // As if a crash hit between writing the new key and clearing the old pair state.
        Files.writeString(dir().resolve("identity.key"), HexFormat.of().formatHex(Keys.seed(2)) + "\n");
        try (StateStore store = StateStore.open(dir())) {
            assertThat(store.warnings()).anyMatch(w -> w.contains("identity") && w.contains("cleared"));
            assertThat(store.outgoing("bob")).isEmpty();
        }
        try (StateStore store = StateStore.open(dir())) {
            assertThat(store.warnings()).isEmpty();
        }
    }

    @Test
    void missingIdentityIsATypedError() {
        try (StateStore store = StateStore.open(dir())) {
            assertThatThrownBy(store::requireIdentity).isInstanceOf(NoIdentityException.class)
                    .hasMessageContaining("no identity in " + store.directory()).hasMessageContaining("scout init");
        }
    }

    @Test
    void malformedKeyFilesAreClearErrorsThatNeverQuoteTheContent() throws Exception {
        Path key = Files.createDirectories(dir()).resolve("identity.key");
        String secretish = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde"; // 63 digits
        Files.writeString(key, secretish + "\n");
        try (StateStore store = StateStore.open(dir())) {
            assertThatThrownBy(store::requireIdentity).isInstanceOf(KeyFileException.class)
                    .hasMessage(key + " is not a valid identity key file: expected 64 hex digits, found 63 characters")
                    .hasMessageNotContaining(secretish.substring(0, 16));

            Files.writeString(key, secretish + "x\n");
            assertThatThrownBy(store::identity).isInstanceOf(KeyFileException.class)
                    .hasMessage(key + " is not a valid identity key file: character 64 is not a hex digit");

            Files.write(key, new byte[5000]);
            assertThatThrownBy(store::identity).isInstanceOf(KeyFileException.class).hasMessageContaining("5000 bytes");

            Files.writeString(key, "");
            assertThatThrownBy(store::identity).isInstanceOf(KeyFileException.class).hasMessageContaining("found 0");

            assertThatThrownBy(() -> store.initIdentity(Keys.seed(3), false)).isInstanceOf(KeyFileException.class)
                    .hasMessageEndingWith("; use --force to replace it");
            assertThat(store.initIdentity(Keys.seed(3), true).outcome()).isEqualTo(IdentityInit.Outcome.REPLACED);
            assertThat(store.requireIdentity().publicKey()).isEqualTo(Keys.key(3));
        }
    }

    @Test
    void keyFileAcceptsUpperCaseAndCrLf() throws Exception {
        Path key = Files.createDirectories(dir()).resolve("identity.key");
        Files.write(key, (HexFormat.of().withUpperCase().formatHex(Keys.seed(4)) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        try (StateStore store = StateStore.open(dir())) {
            assertThat(store.requireIdentity().publicKey()).isEqualTo(Keys.key(4));
        }
    }

    @Test
    void aSeedOfTheWrongLengthIsRejected() {
        try (StateStore store = StateStore.open(dir())) {
            assertThatThrownBy(() -> store.initIdentity(new byte[31], false)).isInstanceOf(StateException.class)
                    .hasMessageContaining("32 bytes");
            assertThat(store.identity()).isEmpty();
        }
    }

    // ---------------------------------------------------------------------------------- database

    @Test
    void databaseIsWalSynchronousFullVersioned() throws Exception {
        try (StateStore store = StateStore.open(dir())) {
            assertThat(store.contacts()).isEmpty();
        }
        try (Connection c = Keys.raw(dir()); Statement s = c.createStatement()) {
            assertThat(single(s, "PRAGMA journal_mode")).isEqualTo("wal");
            assertThat(single(s, "PRAGMA user_version")).isEqualTo(Integer.toString(Schema.CURRENT_VERSION));
            assertThat(single(s, "PRAGMA application_id")).isEqualTo(Integer.toString(Schema.APPLICATION_ID));
        }
    }

    @Test
    void migratesAnEmptyDatabaseAndRefusesANewerOne() throws Exception {
        Files.createDirectories(dir());
        try (Connection c = Keys.raw(dir()); Statement s = c.createStatement()) {
            assertThat(single(s, "PRAGMA user_version")).isEqualTo("0");
        }
        try (StateStore store = StateStore.open(dir())) {
            store.addContact("bob", Keys.key(1));
        }
        try (Connection c = Keys.raw(dir()); Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = " + (Schema.CURRENT_VERSION + 1));
        }
        assertThatThrownBy(() -> StateStore.open(dir())).isInstanceOf(StateException.class)
                .hasMessageContaining("newer version of scout").hasMessageContaining("schema version "
                        + (Schema.CURRENT_VERSION + 1));
    }

    @Test
    void foreignFilesAreNotScoutDatabases() throws Exception {
        Files.createDirectories(dir());
        try (Connection c = Keys.raw(dir()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE something (x)");
        }
        assertThatThrownBy(() -> StateStore.open(dir())).isInstanceOf(StateException.class)
                .hasMessageContaining("is not a scout database");

        Path other = tmp.resolve("other");
        Files.createDirectories(other);
        Files.write(other.resolve("scout.db"), "this is not sqlite at all, just some text bytes.".repeat(20)
                .getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> StateStore.open(other)).isInstanceOf(StateException.class)
                .hasMessageContaining("is not a scout database").hasMessageNotContaining("\n");
    }

    @Test
    void aWriteLockHeldTooLongIsAOneLineErrorWithContext() throws Exception {
        try (StateStore store = StateStore.open(dir(), java.time.Clock.systemUTC(), 200);
             Connection other = Keys.raw(dir()); Statement s = other.createStatement()) {
            s.execute("BEGIN IMMEDIATE"); // another process in the middle of a write
            assertThatThrownBy(() -> store.addContact("bob", Keys.key(1))).isInstanceOf(StateException.class)
                    .hasMessageStartingWith("cannot add a contact in " + store.databaseFile() + ": ")
                    .hasMessageContaining("SQLITE_BUSY").hasMessageNotContaining("\n");
            assertThat(store.contacts()).isEmpty(); // readers are not blocked by a writer (WAL)
            s.execute("ROLLBACK");
            store.addContact("bob", Keys.key(1));
            assertThat(store.contacts()).hasSize(1);
        }
    }

    @Test
    void aClosedStoreSaysSo() {
        StateStore store = StateStore.open(dir());
        store.close();
        store.close();
        assertThatThrownBy(store::contacts).isInstanceOf(StateException.class).hasMessageContaining("closed");
        assertThatThrownBy(store::identity).isInstanceOf(StateException.class).hasMessageContaining("closed");
    }

    private static String single(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
