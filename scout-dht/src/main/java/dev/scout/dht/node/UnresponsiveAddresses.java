package dev.scout.dht.node;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Addresses whose last request went unanswered, remembered for a while so that lookups stop asking
 * them. Other nodes keep handing out dead contacts (a third of the entries of a real routing table can
 * be stale), and without this each lookup would spend a slow timeout on the same dead node again.
 * An answer from the address clears it at once. Bounded: the oldest entries make way.
 */
final class UnresponsiveAddresses {
    /** How long a silent address is skipped. */
    static final long FORGET_AFTER_MILLIS = 10 * 60_000L;
    private static final int MAX_ENTRIES = 4_096;

    private final Map<InetSocketAddress, Long> timedOut = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, Long> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    void timedOut(InetSocketAddress address, long now) {
        timedOut.remove(address); // re-insert: newest last, so eviction takes the oldest
        timedOut.put(address, now);
    }

    void heardFrom(InetSocketAddress address) {
        timedOut.remove(address);
    }

    /** Forgets every mark: after our own outage the silence was ours, not theirs. */
    void clear() {
        timedOut.clear();
    }

    boolean contains(InetSocketAddress address, long now) {
        Long at = timedOut.get(address);
        if (at == null) {
            return false;
        }
        if (now - at >= FORGET_AFTER_MILLIS) {
            timedOut.remove(address);
            return false;
        }
        return true;
    }
}
