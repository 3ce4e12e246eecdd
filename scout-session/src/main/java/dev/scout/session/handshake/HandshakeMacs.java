package dev.scout.session.handshake;

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
 * accepted only for the very INIT it answers (an off-path forger knows neither). A keyed {@link Mac}
 * is made once per key and reused (it is not thread-safe: one owner thread each).
 */
public final class HandshakeMacs {
    private HandshakeMacs() {
    }

    /** The mac1 key for a responder: SHA-256("scout mac1" | its Ed25519 identity key). */
    public static Mac mac1(byte[] responderIdentity) {
        return keyed(keyFor("scout mac1", responderIdentity));
    }

    /** The COOKIE tag key for a responder: SHA-256("scout cookie" | its Ed25519 identity key). */
    public static Mac cookieTag(byte[] responderIdentity) {
        return keyed(keyFor("scout cookie", responderIdentity));
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

    /** HMAC-SHA256 keyed with {@code key}. */
    public static Mac keyed(byte[] key) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** The first {@link Wire#MAC_BYTES} of {@code mac} over {@code b[off, off + len)}, then {@code more}. */
    public static byte[] mac(Mac mac, byte[] b, int off, int len, byte[] more) {
        mac.update(b, off, len);
        if (more != null) {
            mac.update(more);
        }
        return java.util.Arrays.copyOf(mac.doFinal(), Wire.MAC_BYTES);
    }

    /** Writes an INIT's mac1 (over everything before it) into its last 16 bytes. */
    public static void sealInit(byte[] init, Mac mac1) {
        System.arraycopy(mac(mac1, init, 0, Wire.INIT_MAC1, null), 0, init, Wire.INIT_MAC1, Wire.MAC_BYTES);
    }

    /** Whether an INIT's mac1 is right (constant-time comparison). */
    public static boolean initSealed(byte[] init, Mac mac1) {
        byte[] m = mac(mac1, init, 0, Wire.INIT_MAC1, null);
        return MessageDigest.isEqual(m, java.util.Arrays.copyOfRange(init, Wire.INIT_MAC1, Wire.INIT_LENGTH));
    }

    /** {@code COOKIE | receiver id | cookie | tag}: the tag is over the id, the cookie and the INIT's mac1. */
    public static byte[] cookieReply(byte[] init, byte[] cookie, Mac tag) {
        byte[] out = new byte[Wire.COOKIE_LENGTH];
        out[0] = Wire.COOKIE;
        System.arraycopy(init, 2, out, 1, 8);
        System.arraycopy(cookie, 0, out, 9, Wire.COOKIE_BYTES);
        byte[] t = mac(tag, out, 0, 9 + Wire.COOKIE_BYTES, java.util.Arrays.copyOfRange(init, Wire.INIT_MAC1, Wire.INIT_LENGTH));
        System.arraycopy(t, 0, out, 9 + Wire.COOKIE_BYTES, Wire.MAC_BYTES);
        return out;
    }

    /** The cookie in {@code reply} if its tag proves it answers {@code init}, else null. */
    public static byte[] openCookieReply(byte[] reply, byte[] init, Mac tag) {
        byte[] cookie = java.util.Arrays.copyOfRange(reply, 9, 9 + Wire.COOKIE_BYTES);
        return MessageDigest.isEqual(cookieReply(init, cookie, tag), reply) ? cookie : null;
    }
}
