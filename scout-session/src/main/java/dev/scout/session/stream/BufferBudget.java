package dev.scout.session.stream;

/**
 * Bytes of stream receive buffers that a session, or a whole endpoint, may hold. A session's budget
 * draws on its endpoint's: a reservation succeeds only if both have room. When a session ends its
 * budget is {@linkplain #detach detached}: what it still held goes back to the endpoint at once (the
 * buffers then belong to the application's stream objects alone) and it reserves nothing more.
 * Thread-safe: the session loop reserves, readers on application threads release.
 */
public final class BufferBudget {
    /** One session's receive buffers: eight streams' full windows. */
    public static final long SESSION_LIMIT = 8L << 20;
    /** All sessions' receive buffers at one endpoint. */
    public static final long ENDPOINT_LIMIT = 64L << 20;

    private final long limit;
    private final BufferBudget parent;
    private long reserved;
    private long peak;
    private boolean detached;

    /** An endpoint's budget. */
    public BufferBudget(long limit) {
        this(limit, null);
    }

    /** A session's budget of {@code limit} bytes within {@code parent}'s. */
    public BufferBudget(long limit, BufferBudget parent) {
        this.limit = limit;
        this.parent = parent;
    }

    /** Reserves {@code n} bytes here and in the parent; false (nothing reserved) if either is full. */
    public synchronized boolean tryReserve(long n) {
        if (detached || reserved + n > limit) {
            return false;
        }
        if (parent != null && !parent.tryReserve(n)) {
            return false;
        }
        reserved += n;
        peak = Math.max(peak, reserved);
        return true;
    }

    /** Gives back {@code n} bytes reserved before. */
    public synchronized void release(long n) {
        if (detached) {
            return;
        }
        reserved -= n;
        if (parent != null) {
            parent.release(n);
        }
    }

    /** Hands everything reserved back to the parent and refuses any further reservation. */
    public synchronized void detach() {
        if (detached) {
            return;
        }
        detached = true;
        if (parent != null) {
            parent.release(reserved);
        }
        reserved = 0;
    }

    /** More than half is reserved here or in the parent: idle buffers should be given back. */
    public synchronized boolean pressed() {
        return detached || 2 * reserved > limit || parent != null && parent.pressed();
    }

    public synchronized long reserved() {
        return reserved;
    }

    /** The most ever reserved at once. */
    public synchronized long peak() {
        return peak;
    }

    public long limit() {
        return limit;
    }
}
