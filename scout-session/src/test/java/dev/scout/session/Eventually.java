package dev.scout.session;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline (polling every few ms), failing with a description. */
final class Eventually {
    private Eventually() {
    }

    static void holds(BooleanSupplier condition, long timeoutMillis, Supplier<String> state) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeoutMillis + " ms: " + state.get());
            }
            Thread.sleep(5);
        }
    }

    static <T> T value(Supplier<T> probe, long timeoutMillis, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        T v;
        while ((v = probe.get()) == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeoutMillis + " ms: " + what);
            }
            Thread.sleep(5);
        }
        return v;
    }
}
