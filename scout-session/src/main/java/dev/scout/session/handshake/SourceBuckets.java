package dev.scout.session.handshake;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per source (an IPv4 address or an IPv6 /64, as the caller keys it), for work a
 * source may ask for only so often (relay signature checks, handshake initiations): at most {@code capacity} sources are remembered, the least recently seen forgotten first
 * (O(1)), so one source cannot use up what is granted to everyone. Not thread-safe.
 */
public final class SourceBuckets<K> {
    private final long rate;
    private final Map<K, TokenBucket> buckets;

    /**
     * @param rate     tokens per second (and burst) per source
     * @param capacity sources remembered at once
     */
    public SourceBuckets(long rate, int capacity) {
        this.rate = rate;
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, TokenBucket> eldest) {
                return size() > capacity;
            }
        };
    }

    /** {@return whether {@code source} may take one token at {@code now}; taken if so} */
    public boolean take(K source, long now) {
        return buckets.computeIfAbsent(source, s -> new TokenBucket(rate, now)).take(1, now);
    }

    /** {@return how many sources are remembered now (at most the capacity)} */
    public int size() {
        return buckets.size();
    }
}
