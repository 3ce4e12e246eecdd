package dev.scout.dht.node;

/**
 * Smoothed round-trip time over all answers (RFC 6298 style). Lookups use it to decide when a
 * request is "slow" and another node should be tried in parallel, which is what keeps lookups fast
 * when many routing entries are stale.
 */
public final class RttEstimator {
    private double srtt = -1;
    private double rttvar;
    private long samples;

    public void sample(long rttMillis) {
        samples++;
        if (srtt < 0) {
            srtt = rttMillis;
            rttvar = rttMillis / 2.0;
        } else {
            rttvar = 0.75 * rttvar + 0.25 * Math.abs(srtt - rttMillis);
            srtt = 0.875 * srtt + 0.125 * rttMillis;
        }
    }

    /** srtt + 4 × rttvar clamped to [{@code min}, {@code max}]; {@code max} before any sample. */
    public long softTimeout(long min, long max) {
        if (srtt < 0) {
            return Math.max(min, Math.min(max, 1_000));
        }
        return Math.max(min, Math.min(max, Math.round(srtt + 4 * rttvar)));
    }

    /** Samples taken so far. */
    public long samples() {
        return samples;
    }

    public long smoothedMillis() {
        return Math.round(srtt);
    }
}
