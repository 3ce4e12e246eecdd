package dev.scout.dht.node.requests;

/**
 * Round-trip times over all answers. Lookups use it to decide when a request is "slow" and another node
 * should be tried in parallel, which is what keeps lookups fast when many routing entries are stale.
 * The soft timeout is a high percentile of recent RTTs (mldht's approach; 512 bytes per node): with heavy-tailed RTTs,
 * RFC 6298's srtt + 4·rttvar sits far above what nearly every live node needs, and every dead routing
 * entry costs that wait. Until enough samples exist, srtt + 4·rttvar is used.
 */
public final class RttEstimator {
    /** Histogram resolution and range: 8 ms buckets up to 1 s (slower answers land in the last one). */
    private static final int BUCKET_MILLIS = 8;
    private static final int BUCKETS = 128;
    /** Samples before the percentile is trusted, and how often old samples are halved (recent ones weigh more). */
    private static final int MIN_SAMPLES = 32;
    private static final int DECAY_EVERY = 512;
    /** The share of live answers that arrive before the soft timeout. */
    public static final double PERCENTILE = 0.95;

    private final int[] histogram = new int[BUCKETS];
    private int histogramTotal;
    /** The percentile, computed on demand and kept until the next sample (-1 = stale). */
    private long percentileMillis = -1;
    private double srtt = -1;
    private double rttvar;
    private long samples;

    public void sample(long rttMillis) {
        samples++;
        percentileMillis = -1;
        histogram[(int) Math.min(BUCKETS - 1, Math.max(0, rttMillis) / BUCKET_MILLIS)]++;
        if (++histogramTotal >= DECAY_EVERY) {
            histogramTotal = 0;
            for (int i = 0; i < BUCKETS; i++) {
                histogram[i] >>= 1;
                histogramTotal += histogram[i];
            }
        }
        if (srtt < 0) {
            srtt = rttMillis;
            rttvar = rttMillis / 2.0;
        } else {
            rttvar = 0.75 * rttvar + 0.25 * Math.abs(srtt - rttMillis);
            srtt = 0.875 * srtt + 0.125 * rttMillis;
        }
    }

    /**
     * The {@value #PERCENTILE} percentile of recent RTTs (srtt + 4 × rttvar until {@value #MIN_SAMPLES}
     * samples; 1 s before any), clamped to [{@code min}, {@code max}].
     */
    public long softTimeout(long min, long max) {
        if (srtt < 0) {
            return Math.max(min, Math.min(max, 1_000));
        }
        if (samples < MIN_SAMPLES) {
            return Math.max(min, Math.min(max, Math.round(srtt + 4 * rttvar)));
        }
        if (percentileMillis < 0) {
            long need = (long) Math.ceil(histogramTotal * PERCENTILE);
            long seen = 0;
            int bucket = 0;
            for (; bucket < BUCKETS - 1; bucket++) {
                seen += histogram[bucket];
                if (seen >= need) {
                    break;
                }
            }
            // Beyond the histogram's range: the network is slow; fall back to the RFC 6298 bound.
            percentileMillis = bucket == BUCKETS - 1 ? Math.round(srtt + 4 * rttvar) : (long) (bucket + 1) * BUCKET_MILLIS;
        }
        return Math.max(min, Math.min(max, percentileMillis));
    }

    /** Samples taken so far. */
    public long samples() {
        return samples;
    }

    public long smoothedMillis() {
        return Math.round(srtt);
    }
}
