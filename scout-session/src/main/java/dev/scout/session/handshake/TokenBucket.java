package dev.scout.session.handshake;

/**
 * A token bucket: refills at {@code rate} per second, holds at most one second's worth. Not
 * thread-safe (the relay uses it under its lock, the handshake gate on the loop thread).
 */
public final class TokenBucket {
    private final long rate;
    private double tokens;
    private long last;

    /**
     * @param rate tokens per second (bytes, or operations)
     * @param now  the clock, nanoseconds
     */
    public TokenBucket(long rate, long now) {
        this.rate = rate;
        this.tokens = rate;
        this.last = now;
    }

    /** {@return whether {@code n} tokens are there at {@code now}; they are taken if so} */
    public boolean take(long n, long now) {
        refill(now);
        if (tokens < n) {
            return false;
        }
        tokens -= n;
        return true;
    }

    /** {@return whether {@code n} tokens are there at {@code now} (nothing taken)} */
    public boolean has(long n, long now) {
        refill(now);
        return tokens >= n;
    }

    private void refill(long now) {
        tokens = Math.min(rate, tokens + (now - last) * (rate / 1e9));
        last = now;
    }
}
