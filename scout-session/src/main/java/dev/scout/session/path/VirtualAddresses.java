package dev.scout.session.path;

import dev.scout.session.handshake.Wire;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Virtual addresses: what a relayed peer looks like to a session endpoint (docs/sessions.md,
 * "Relaying"). They are in {@code 100::/64}, the IPv6 discard-only prefix (RFC 6666), port 9, so they
 * can never be a real peer. Here rather than in the relay package so that the session machinery can
 * tell them apart without depending on the relay.
 */
public final class VirtualAddresses {
    private static final AtomicLong NEXT = new AtomicLong(1);

    private VirtualAddresses() {
    }

    /** Whether {@code address} is a virtual address, never a real one. */
    public static boolean isVirtual(InetSocketAddress address) {
        if (!(address.getAddress() instanceof Inet6Address a)) {
            return false;
        }
        byte[] b = a.getAddress();
        return b[0] == 1 && b[1] == 0 && b[2] == 0 && b[3] == 0 && b[4] == 0 && b[5] == 0 && b[6] == 0 && b[7] == 0;
    }

    /** A virtual address not handed out before in this JVM. */
    public static InetSocketAddress next() {
        byte[] ip = new byte[16];
        ip[0] = 1;
        Wire.putLong(ip, 8, NEXT.getAndIncrement());
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), 9);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
