package dev.scout.session.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-source token buckets for handshake initiations, checked before any Diffie-Hellman (after
 * WireGuard's ratelimiter): each source may start {@link #RATE} handshakes a second with bursts of
 * {@link #BURST}. The table holds at most {@link #CAPACITY} sources; a new one evicts the least
 * recently seen in O(1) (an evicted source comes back with a full bucket, which is why a global
 * bound — the endpoint's load state and cookies — stands behind this one). Sources are keys chosen
 * by the caller (an IPv4 address, an IPv6 /64, with a flag for "proved its address by a cookie", so
 * spoofed packets naming a victim's address cannot drain the victim's proved bucket). Loop thread only.
 */
public final class SourceLimiter {
    public static final int RATE = 20;
    public static final int BURST = 20;
    public static final int CAPACITY = 4_096;
    private static final long NANOS_PER_TOKEN = 1_000_000_000L / RATE;

    private final Map<Key, long[]> buckets = new LinkedHashMap<>(CAPACITY * 4 / 3 + 1, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, long[]> eldest) {
            return size() > CAPACITY;
        }
    };

    /** A source: two longs of address (prefix) and whether it proved the address. */
    public record Key(long high, long low, boolean proved) {
    }

    /**
     * Takes a token for {@code source} if it has one.
     *
     * @return whether the initiation may go on
     */
    public boolean allow(Key source, long now) {
        long[] b = buckets.get(source);
        if (b == null) {
            b = new long[] {BURST, now}; // tokens, time of the last refill
            buckets.put(source, b);
        } else {
            long earned = (now - b[1]) / NANOS_PER_TOKEN;
            if (earned > 0) {
                b[0] = Math.min(BURST, b[0] + earned);
                b[1] += earned * NANOS_PER_TOKEN;
            }
            if (b[0] >= BURST) {
                b[1] = now;
            }
        }
        if (b[0] <= 0) {
            return false;
        }
        b[0]--;
        return true;
    }

    /** {@return how many sources the table holds (at most {@link #CAPACITY})} */
    public int size() {
        return buckets.size();
    }
}
