package dev.scout.session.handshake;

import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;

/**
 * The responder's cookies (WireGuard's cookie, QUIC's Retry token): a MAC over the initiator's source
 * address and port under a random secret that is replaced every 2 minutes. A cookie is valid under the
 * current or the previous secret, so it lives 2 to 4 minutes; holding a valid one proves the sender
 * receives datagrams at that address, and a secret made after a restart proves it is fresh. Nothing
 * is stored per initiator. Loop thread only.
 */
public final class CookieSecret {
    /** A secret signs cookies this long, then checks them this long again. */
    public static final long ROTATE_NANOS = 120_000_000_000L;
    private static final byte[] NONE = new byte[Wire.COOKIE_BYTES];

    private final SecureRandom random;
    private Mac current;
    private Mac previous;
    private long rotatedAt;

    public CookieSecret(SecureRandom random, long now) {
        this.random = random;
        this.current = fresh();
        this.rotatedAt = now;
    }

    private Mac fresh() {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        return HandshakeMacs.keyed(secret);
    }

    /** The cookie for {@code source} under the current secret. */
    public byte[] cookie(InetSocketAddress source, long now) {
        rotate(now);
        byte[] a = address(source);
        return HandshakeMacs.mac(current, a, 0, a.length, null);
    }

    /**
     * Whether {@code cookie} (e.g. an INIT's cookie field) was issued to {@code source} within the last
     * 2–4 minutes. An all-zero field (no cookie yet, public knowledge) is answered without a MAC.
     */
    public boolean valid(byte[] cookie, InetSocketAddress source, long now) {
        if (java.util.Arrays.equals(cookie, NONE)) {
            return false;
        }
        rotate(now);
        byte[] a = address(source);
        boolean ok = MessageDigest.isEqual(cookie, HandshakeMacs.mac(current, a, 0, a.length, null));
        if (previous != null) { // both computed: no timing hint of which secret made it
            ok |= MessageDigest.isEqual(cookie, HandshakeMacs.mac(previous, a, 0, a.length, null));
        }
        return ok;
    }

    private void rotate(long now) {
        if (now - rotatedAt >= ROTATE_NANOS) {
            previous = now - rotatedAt >= 2 * ROTATE_NANOS ? null : current;
            current = fresh();
            rotatedAt = now;
        }
    }

    private static byte[] address(InetSocketAddress a) {
        byte[] ip = a.getAddress().getAddress();
        byte[] out = java.util.Arrays.copyOf(ip, ip.length + 2);
        out[ip.length] = (byte) (a.getPort() >> 8);
        out[ip.length + 1] = (byte) a.getPort();
        return out;
    }
}
