package dev.scout.sqlite;

import dev.scout.sqlite.db.Database;
import dev.scout.sqlite.db.IdentityFile;
import dev.scout.sqlite.error.IdentityExistsException;
import dev.scout.sqlite.error.KeyFileException;
import dev.scout.sqlite.error.NoIdentityException;
import dev.scout.sqlite.error.StateException;
import dev.scout.dht.Ed25519KeyPair;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.security.MessageDigest;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The identity seed in {@code identity.key}, and the pair state that belongs to it (see {@link StateStore}). */
public final class IdentityRepository {
    private static final Logger LOG = LoggerFactory.getLogger(IdentityRepository.class);
    private final Database db;

    IdentityRepository(Database db) {
        this.db = db;
    }

    /**
     * The identity, if {@code identity.key} exists.
     *
     * @throws KeyFileException if the file exists but is malformed
     */
    public synchronized Optional<Ed25519KeyPair> identity() {
        db.checkOpen();
        try {
            return Optional.of(IdentityFile.read(db.identityFile()));
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
        db.checkOpen();
        return IdentityFile.read(db.identityFile());
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
        db.checkOpen();
        if (seed != null && seed.length != Ed25519KeyPair.SEED_BYTES) {
            throw new StateException("a seed must be " + Ed25519KeyPair.SEED_BYTES + " bytes (64 hex digits), got "
                    + seed.length + " bytes");
        }
        Ed25519KeyPair wanted = seed == null ? null : Ed25519KeyPair.ofSeed(seed);
        Ed25519KeyPair existing = null;
        KeyFileException malformed = null;
        try {
            existing = IdentityFile.read(db.identityFile());
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
            IdentityFile.write(db.identityFile(), nextSeed, replace);
        } catch (FileAlreadyExistsException e) {
            // Another process created an identity between our check and our write.
            Ed25519KeyPair other = IdentityFile.read(db.identityFile());
            if (wanted == null || sameSeed(wanted, other)) {
                reconcilePairOwner(other);
                return new IdentityInit(other, IdentityInit.Outcome.UNCHANGED);
            }
            throw identityExists(other);
        } catch (IOException e) {
            throw new StateException("cannot write " + db.identityFile() + ": " + IdentityFile.oneLine(e), e);
        } finally {
            Arrays.fill(nextSeed, (byte) 0);
        }
        reconcilePairOwner(next);
        LOG.debug("identity {} written to {}", next.publicKey().toZBase32(), db.identityFile());
        return new IdentityInit(next, replace ? IdentityInit.Outcome.REPLACED : IdentityInit.Outcome.CREATED);
    }

    private IdentityExistsException identityExists(Ed25519KeyPair existing) {
        return new IdentityExistsException("an identity already exists in " + db.directory() + " (public key "
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

    void reconcileAtOpen() {
        Ed25519KeyPair current;
        try {
            current = IdentityFile.read(db.identityFile());
        } catch (StateException e) {
            return; // no identity or a malformed file: reported when the identity is asked for
        }
        reconcilePairOwner(current);
    }

    /** Clears the pair state if it belongs to another identity, and records {@code owner} as its owner. */
    private void reconcilePairOwner(Ed25519KeyPair owner) {
        String hex = owner.publicKey().toHex();
        String recorded = db.read("read the identity's public key", c -> SettingsRepository.getSetting(c, StateStore.SETTING_PAIR_OWNER));
        if (hex.equals(recorded)) {
            return;
        }
        boolean cleared = db.write("record the identity's public key", c -> {
            String before = SettingsRepository.getSetting(c, StateStore.SETTING_PAIR_OWNER);
            boolean clear = before != null && !before.equals(hex);
            if (clear) {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("DELETE FROM entries");
                    s.executeUpdate("DELETE FROM outgoing");
                    s.executeUpdate("DELETE FROM outbox_heads");
                    s.executeUpdate("DELETE FROM read_marks");
                }
            }
            SettingsRepository.putSetting(c, StateStore.SETTING_PAIR_OWNER, hex);
            return clear;
        });
        if (cleared) {
            db.addWarning("the identity in " + db.directory() + " changed to " + owner.publicKey().toZBase32()
                    + "; record entries, outgoing messages and read marks of the previous identity were cleared");
        }
    }
}
