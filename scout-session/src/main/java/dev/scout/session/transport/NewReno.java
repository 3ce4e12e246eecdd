package dev.scout.session.transport;

/**
 * NewReno congestion control in bytes (RFC 9002 §7): slow start, halving once per loss event
 * (a recovery period starts at the loss and ends with the first ack of a packet sent after it),
 * additive increase of one datagram per window in congestion avoidance.
 */
public final class NewReno {
    private final int datagram;
    private final long minimum;
    private long window;
    private long threshold = Long.MAX_VALUE;
    private long recoveryStart = Long.MIN_VALUE;
    private long avoidanceCredit;

    public NewReno(int maxDatagram) {
        this.datagram = maxDatagram;
        this.minimum = 2L * maxDatagram;
        reset();
    }

    public long window() {
        return window;
    }

    /** An ack of {@code bytes} sent at {@code sentAt}. */
    public void onAcked(long bytes, long sentAt) {
        if (sentAt <= recoveryStart) {
            return; // acks of packets sent before the loss do not grow the window
        }
        if (window < threshold) {
            window += bytes;
        } else {
            avoidanceCredit += bytes;
            if (avoidanceCredit >= window) {
                avoidanceCredit -= window;
                window += datagram;
            }
        }
    }

    /** A packet sent at {@code sentAt} was lost, detected at {@code now}. */
    public void onLost(long sentAt, long now) {
        if (sentAt <= recoveryStart) {
            return; // same loss event
        }
        recoveryStart = now;
        window = Math.max(window / 2, minimum);
        threshold = window;
        avoidanceCredit = 0;
    }

    /** The session moved to a new path: slow start from the initial window, as for a new connection (RFC 9000 §9.4). */
    public void reset() {
        window = 10L * datagram;
        threshold = Long.MAX_VALUE;
        recoveryStart = Long.MIN_VALUE;
        avoidanceCredit = 0;
    }

    /** Repeated probe timeouts: the path may be gone or badly congested; start over from the minimum. */
    public void onPersistentCongestion(long now) {
        recoveryStart = now;
        window = minimum;
        threshold = Math.max(threshold == Long.MAX_VALUE ? minimum : threshold, minimum);
    }
}
