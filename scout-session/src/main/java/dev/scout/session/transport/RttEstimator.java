package dev.scout.session.transport;

/** Smoothed round-trip time and its variation (RFC 6298 / RFC 9002), in nanoseconds. */
public final class RttEstimator {
    private static final long INITIAL = 100_000_000L; // 100 ms until the first sample (we start on LANs and the Internet)
    private static final long GRANULARITY = 1_000_000L;

    private long smoothed = INITIAL;
    private long variation = INITIAL / 2;
    private long latest = INITIAL;
    private long min = Long.MAX_VALUE;
    private boolean sampled;

    /** A sample for a newly acknowledged packet; {@code ackDelay} is what the peer reported holding it. */
    public void sample(long rtt, long ackDelay) {
        if (rtt <= 0) {
            rtt = 1;
        }
        latest = rtt;
        min = Math.min(min, rtt);
        long adjusted = rtt - ackDelay >= min ? rtt - ackDelay : rtt;
        if (!sampled) {
            smoothed = adjusted;
            variation = adjusted / 2;
            sampled = true;
        } else {
            variation = (3 * variation + Math.abs(smoothed - adjusted)) / 4;
            smoothed = (7 * smoothed + adjusted) / 8;
        }
    }

    public long smoothed() {
        return smoothed;
    }

    public long latest() {
        return latest;
    }

    /** Probe timeout before back-off: srtt + max(4·rttvar, 1 ms) + the peer's maximum ack delay. */
    public long probeTimeout(long maxAckDelay) {
        return smoothed + Math.max(4 * variation, GRANULARITY) + maxAckDelay;
    }

    /** RFC 9002 time threshold: a packet is lost once 9/8 of an RTT passed after a later one was acked. */
    public long lossDelay() {
        return Math.max(9 * Math.max(smoothed, latest) / 8, GRANULARITY);
    }
}
