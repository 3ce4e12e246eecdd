package dev.scout.session.transport;

/**
 * Which packet numbers we received and when an acknowledgement is due: at once after two
 * ack-eliciting packets, otherwise within the maximum ack delay. Keeps the highest
 * {@link FrameCodec#MAX_ACK_RANGES} ranges (bounded against a hostile peer). Not thread-safe.
 */
public final class AckTracker {
    public static final long NEVER = Long.MAX_VALUE;
    /** Ranges put in one ACK frame: enough to describe recent holes, small enough to keep acks short. */
    private static final int RANGES_PER_ACK = 8;

    private final long maxDelay;
    private final RangeSet received = new RangeSet();
    private int unacked;
    private long deadline = NEVER;
    private long largestAt;

    public AckTracker(long maxDelayNanos) {
        this.maxDelay = maxDelayNanos;
    }

    public void onPacket(long pn, boolean ackEliciting, long now) {
        received.add(pn, pn + 1);
        received.keepHighest(FrameCodec.MAX_ACK_RANGES);
        if (ackEliciting) {
            unacked++;
            largestAt = now;
            deadline = unacked >= 2 ? now : Math.min(deadline, now + maxDelay);
        }
    }

    /** Takes {@code pn} back: its contents could not be kept, so the peer must send them again. */
    public void forget(long pn) {
        received.remove(pn, pn + 1);
        if (received.isEmpty()) {
            unacked = 0; // nothing left to acknowledge (an ACK frame needs at least one range)
            deadline = NEVER;
        }
    }

    /** Acknowledge at once (e.g. a close). */
    public void urgent(long now) {
        unacked++;
        deadline = now;
    }

    /** Ack-eliciting packets wait for an acknowledgement. */
    public boolean pending() {
        return unacked > 0;
    }

    public boolean due(long now) {
        return unacked > 0 && now >= deadline;
    }

    public long deadline() {
        return deadline;
    }

    /** The ACK frame to send now; resets what is pending. */
    public Frame.Ack take(long now) {
        unacked = 0;
        deadline = NEVER;
        return new Frame.Ack((now - largestAt) / 1_000, received.descending(RANGES_PER_ACK));
    }

    /** Size of the ACK frame {@link #take} would produce. */
    public int frameSize() {
        return 1 + 4 + 1 + 16 * Math.min(received.size(), RANGES_PER_ACK);
    }
}
