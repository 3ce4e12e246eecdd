package dev.scout.session;

import dev.scout.session.internal.FrameCodec;
import dev.scout.session.internal.VirtualAddresses;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The addresses a relayed session's hole punching exchanges ({@link SessionEndpoint#setHolePunching}):
 * ours, told to the peer in a {@code CANDIDATES} frame, and which of the peer's we may probe. Off (none,
 * and none allowed) until set.
 */
final class PunchCandidates {
    private volatile Supplier<List<InetSocketAddress>> ours = List::of;
    private volatile Predicate<InetSocketAddress> allowed = a -> false;

    void set(Supplier<List<InetSocketAddress>> ours, Predicate<InetSocketAddress> allowed) {
        this.ours = ours;
        this.allowed = allowed;
    }

    /** Our addresses for a peer's probes: real ones only, at most the frame's limit. */
    List<InetSocketAddress> local() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (InetSocketAddress a : ours.get()) {
            if (!VirtualAddresses.isVirtual(a) && !a.isUnresolved() && !out.contains(a)
                    && out.size() < FrameCodec.MAX_CANDIDATES) {
                out.add(a);
            }
        }
        return out;
    }

    /** Whether we may probe a peer's address (its CANDIDATES frame; virtual addresses never). */
    boolean allows(InetSocketAddress a) {
        return !VirtualAddresses.isVirtual(a) && allowed.test(a);
    }
}
