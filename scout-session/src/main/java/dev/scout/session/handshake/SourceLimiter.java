package dev.scout.session.handshake;


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
    private final SourceBuckets<Key> buckets = new SourceBuckets<>(RATE, CAPACITY); // RATE = BURST: one second's worth

    /** A source: two longs of address (prefix) and whether it proved the address. */
    public record Key(long high, long low, boolean proved) {
    }

    /**
     * Takes a token for {@code source} if it has one.
     *
     * @return whether the initiation may go on
     */
    public boolean allow(Key source, long now) {
        return buckets.take(source, now);
    }

    /** {@return how many sources the table holds (at most {@link #CAPACITY})} */
    public int size() {
        return buckets.size();
    }
}
