package dev.scout.sqlite;

import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.Ed25519PublicKey;
import dev.scout.core.message.MessageId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Arrays;

/** Test values. */
final class Keys {

    private Keys() {}

    static byte[] seed(int fill) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) fill);
        return seed;
    }

    static Ed25519PublicKey key(int fill) {
        return Ed25519KeyPair.ofSeed(seed(fill)).publicKey();
    }

    static MessageId messageId(int fill) {
        byte[] id = new byte[MessageId.BYTES];
        Arrays.fill(id, (byte) fill);
        return MessageId.of(id);
    }

    static String perms(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    /** A raw connection for looking behind the store's back. */
    static Connection raw(Path dir) throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(StateStore.DATABASE_FILE));
    }
}
