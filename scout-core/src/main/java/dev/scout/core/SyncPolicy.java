package dev.scout.core;

/**
 * How hard {@code synchronize} tries when other devices write the record at the same time.
 * Attempt {@code n} (n ≥ 2) is preceded by a random pause drawn uniformly from
 * {@code [0, min(maxBackoffMillis, baseBackoffMillis · 2^(n-2))]} ("full jitter"), so devices
 * that collided do not collide again in lockstep.
 *
 * <pre>{@code
 * SyncPolicy patient = new SyncPolicy(12, 500, 10_000);
 * }</pre>
 *
 * @param maxAttempts      get-merge-put rounds at most (at least 1)
 * @param baseBackoffMillis upper bound of the pause before the second attempt
 * @param maxBackoffMillis  upper bound of any pause
 */
public record SyncPolicy(int maxAttempts, long baseBackoffMillis, long maxBackoffMillis) {

    /** 8 attempts, pauses up to 200 ms, 400 ms, ... capped at 5 s. */
    public static final SyncPolicy DEFAULT = new SyncPolicy(8, 200, 5_000);

    /**
     * Checks the settings; {@link IllegalArgumentException} for a bad value.
     *
     * @param maxAttempts get-merge-put rounds at most (at least 1)
     * @param baseBackoffMillis upper bound of the pause before the second attempt
     * @param maxBackoffMillis upper bound of any pause
     */
    public SyncPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (baseBackoffMillis < 0 || maxBackoffMillis < 0) {
            throw new IllegalArgumentException("backoff must not be negative");
        }
    }

    /**
     * Upper bound of the pause before attempt {@code attempt} (2, 3, ...).
     *
     * @param attempt the attempt
     * @return the backoff bound
     */
    public long backoffBound(int attempt) {
        int doublings = Math.min(Math.max(0, attempt - 2), 40);
        long bound = baseBackoffMillis << doublings;
        if (bound < 0 || (doublings > 0 && bound >>> doublings != baseBackoffMillis)) {
            bound = Long.MAX_VALUE; // overflowed
        }
        return Math.min(bound, maxBackoffMillis);
    }
}
