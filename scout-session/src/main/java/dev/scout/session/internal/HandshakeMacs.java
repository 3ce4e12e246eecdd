package dev.scout.session.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cheap MACs around a handshake (after WireGuard's mac1 and cookie reply), HMAC-SHA256 truncated
 * to 16 bytes. mac1 is keyed by a hash of the responder's identity key: an INIT not made for this
 * responder (junk, a scan) is dropped for the price of one HMAC, before any rate-limit state or
 * Diffie-Hellman. The COOKIE's tag is keyed the same way and covers the INIT's mac1, so a COOKIE is
 * accepted only for the very INIT it answers (an off-path forger knows neither). Not thread-safe.
 */
public final class HandshakeMacs {
    private final Mac mac;

    public HandshakeMacs() {
        try {
            mac = Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** The mac1 key for a responder: SHA-256("scout mac1" | its Ed25519 identity key). */
    public static byte[] mac1Key(byte[] responderIdentity) {
        return keyFor("scout mac1", responderIdentity);
    }

    /** The COOKIE tag key for a responder: SHA-256("scout cookie" | its Ed25519 identity key). */
    public static byte[] cookieKey(byte[] responderIdentity) {
        return keyFor("scout cookie", responderIdentity);
    }

    private static byte[] keyFor(String label, byte[] identity) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(label.getBytes(StandardCharsets.US_ASCII));
            return d.digest(identity);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The first {@link Wire#MAC_BYTES} of HMAC-SHA256({@code key}, the given parts). */
    public byte[] mac(byte[] key, byte[]... parts) {
        try {
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        for (byte[] p : parts) {
            mac.update(p);
        }
        return java.util.Arrays.copyOf(mac.doFinal(), Wire.MAC_BYTES);
    }

    /** Writes an INIT's mac1 (over everything before it) into its last 16 bytes. */
    public void sealInit(byte[] init, byte[] mac1Key) {
        byte[] m = mac(mac1Key, java.util.Arrays.copyOf(init, Wire.INIT_MAC1));
        System.arraycopy(m, 0, init, Wire.INIT_MAC1, Wire.MAC_BYTES);
    }

    /** Whether an INIT's mac1 is right for {@code mac1Key} (constant-time comparison). */
    public boolean initSealed(byte[] init, byte[] mac1Key) {
        byte[] m = mac(mac1Key, java.util.Arrays.copyOf(init, Wire.INIT_MAC1));
        return MessageDigest.isEqual(m, java.util.Arrays.copyOfRange(init, Wire.INIT_MAC1, Wire.INIT_LENGTH));
    }

    /** {@code COOKIE | receiver id | cookie | tag}: the tag is over the id, the cookie and the INIT's mac1. */
    public byte[] cookieReply(byte[] init, byte[] cookie, byte[] cookieKey) {
        byte[] out = new byte[Wire.COOKIE_LENGTH];
        out[0] = Wire.COOKIE;
        System.arraycopy(init, 2, out, 1, 8);
        System.arraycopy(cookie, 0, out, 9, Wire.COOKIE_BYTES);
        byte[] tag = mac(cookieKey, java.util.Arrays.copyOf(out, 9 + Wire.COOKIE_BYTES),
                java.util.Arrays.copyOfRange(init, Wire.INIT_MAC1, Wire.INIT_LENGTH));
        System.arraycopy(tag, 0, out, 9 + Wire.COOKIE_BYTES, Wire.MAC_BYTES);
        return out;
    }

    /** The cookie in {@code reply} if its tag proves it answers {@code init}, else null. */
    public byte[] openCookieReply(byte[] reply, byte[] init, byte[] cookieKey) {
        byte[] expected = cookieReply(init, java.util.Arrays.copyOfRange(reply, 9, 9 + Wire.COOKIE_BYTES), cookieKey);
        return MessageDigest.isEqual(expected, reply) ? java.util.Arrays.copyOfRange(reply, 9, 9 + Wire.COOKIE_BYTES) : null;
    }
}
