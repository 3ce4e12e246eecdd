package dev.scout.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * When a {@link KeepAlive} stores an item again: after a random pause in
 * {@code [interval·(1−jitter), interval]}, so many items do not refresh in lockstep.
 */
final class RefreshTiming {
    private final long intervalMillis;
    private final double jitter;
    private final Random random;

    RefreshTiming(Duration interval, double jitter, Random random) {
        this.intervalMillis = interval.toMillis();
        if (intervalMillis < 1) {
            throw new IllegalArgumentException("keep-alive interval must be at least 1 ms, got " + interval);
        }
        if (!(jitter >= 0 && jitter < 1)) {
            throw new IllegalArgumentException("jitter must be in [0, 1), got " + jitter);
        }
        this.jitter = jitter;
        this.random = Objects.requireNonNull(random, "random");
    }

    long intervalMillis() {
        return intervalMillis;
    }

    long nextDelay() {
        long early = (long) (intervalMillis * jitter * random.nextDouble());
        return Math.max(1, intervalMillis - early);
    }
}
