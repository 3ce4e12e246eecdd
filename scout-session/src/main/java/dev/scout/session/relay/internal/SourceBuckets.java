package dev.scout.session.relay.internal;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per source (an IPv4 address or an IPv6 /64), for work only address-proven senders can
 * ask for: at most {@code capacity} sources are remembered, the least recently seen forgotten first
 * (O(1)), so one source cannot use up what the relay grants everyone. Not thread-safe (the relay uses it
 * under its lock).
 */
public final class SourceBuckets {
    private final long rate;
    private final Map<InetAddress, TokenBucket> buckets;

    /**
     * @param rate     tokens per second (and burst) per source
     * @param capacity sources remembered at once
     */
    public SourceBuckets(long rate, int capacity) {
        this.rate = rate;
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, TokenBucket> eldest) {
                return size() > capacity;
            }
        };
    }

    /** {@return whether {@code source} may take one token at {@code now}; taken if so} */
    public boolean take(InetAddress source, long now) {
        return buckets.computeIfAbsent(source, s -> new TokenBucket(rate, now)).take(1, now);
    }
}
