package dev.scout.dht.node;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;

/**
 * Unknown nodes that queried us and are being verified with a ping before they may enter the routing
 * table (a spoofed source never answers), at most {@value #MAX_VERIFICATIONS} at a time. Loop thread only.
 */
final class QuerierVerification {
    static final int MAX_VERIFICATIONS = 32;
    private final Set<InetSocketAddress> verifying = new HashSet<>();

    /** True if a verification of {@code address} may start now (none running for it, room left). */
    boolean start(InetSocketAddress address) {
        return verifying.size() < MAX_VERIFICATIONS && verifying.add(address);
    }

    void done(InetSocketAddress address) {
        verifying.remove(address);
    }
}
