package dev.scout.testkit;

import java.util.function.BooleanSupplier;

/** Waiting on a condition with a timeout, never sleep-and-hope: polls every 5 ms, fails after 10 s naming what. */
public final class Await {
    private Await() {
    }

    /**
     * Returns once {@code condition} holds.
     *
     * @param condition what to wait for
     * @param what      its description, for the failure
     * @throws InterruptedException if interrupted while waiting
     * @throws AssertionError       if it does not hold within 10 s
     */
    public static void await(BooleanSupplier condition, String what) throws InterruptedException {
        await(condition, what, java.time.Duration.ofSeconds(10));
    }

    /**
     * Returns once {@code condition} holds, failing after {@code timeout}.
     *
     * @param condition what to wait for
     * @param what      its description, for the failure
     * @param timeout   how long it may take
     * @throws InterruptedException if interrupted while waiting
     * @throws AssertionError       if it does not hold in time
     */
    public static void await(BooleanSupplier condition, String what, java.time.Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what);
            }
            Thread.sleep(5);
        }
    }
}
