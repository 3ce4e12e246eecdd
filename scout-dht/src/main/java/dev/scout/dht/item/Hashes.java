package dev.scout.dht.item;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-1, the hash BEP 44 targets are made of. */
public final class Hashes {
    private Hashes() {}

    public static byte[] sha1(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-1");
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by the JDK", e);
        }
    }
}
