package dev.scout.session.path;

import dev.scout.session.transport.FrameCodec;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The addresses a relayed session's hole punching exchanges ({@code SessionEndpoint.setHolePunching}):
 * ours, told to the peer in a {@code CANDIDATES} frame, and which of the peer's we may probe. Off (none,
 * and none allowed) until set.
 */
public final class PunchCandidates {
    private volatile Supplier<List<InetSocketAddress>> ours = List::of;
    private volatile Predicate<InetSocketAddress> allowed = a -> false;

    public void set(Supplier<List<InetSocketAddress>> ours, Predicate<InetSocketAddress> allowed) {
        this.ours = ours;
        this.allowed = allowed;
    }

    /** Our addresses for a peer's probes: real ones only, at most the frame's limit. */
    public List<InetSocketAddress> local() {
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
    public boolean allows(InetSocketAddress a) {
        return !VirtualAddresses.isVirtual(a) && allowed.test(a);
    }
}
