package dev.scout.session.internal;

import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.SecureRandom;

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

    private final SecureRandom random;
    private final HandshakeMacs macs;
    private byte[] current = new byte[32];
    private byte[] previous;
    private long rotatedAt;

    public CookieSecret(SecureRandom random, HandshakeMacs macs, long now) {
        this.random = random;
        this.macs = macs;
        random.nextBytes(current);
        rotatedAt = now;
    }

    /** The cookie for {@code source} under the current secret. */
    public byte[] cookie(InetSocketAddress source, long now) {
        rotate(now);
        return macs.mac(current, address(source));
    }

    /** Whether {@code cookie} (16 bytes, e.g. an INIT's cookie field) was issued to {@code source} within 2–4 minutes. */
    public boolean valid(byte[] cookie, InetSocketAddress source, long now) {
        rotate(now);
        byte[] a = address(source);
        boolean ok = MessageDigest.isEqual(cookie, macs.mac(current, a));
        if (previous != null) {
            ok |= MessageDigest.isEqual(cookie, macs.mac(previous, a)); // both computed: no timing hint
        }
        return ok;
    }

    private void rotate(long now) {
        if (now - rotatedAt >= ROTATE_NANOS) {
            boolean skippedOne = now - rotatedAt >= 2 * ROTATE_NANOS;
            previous = skippedOne ? null : current;
            current = new byte[32];
            random.nextBytes(current);
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
