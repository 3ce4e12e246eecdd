package dev.scout.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Waits without blocking a thread: the pause {@code synchronize} takes between attempts.
 * Abstracted so that simulations can wait in virtual time (complete the future from the
 * simulated clock) while applications wait in real time.
 *
 * <pre>{@code
 * Delayer real = Delayer.realTime();
 * real.delay(250).thenRun(() -> System.out.println("a quarter second later"));
 * }</pre>
 */
@FunctionalInterface
public interface Delayer {

    /**
     * A future that completes once {@code millis} have passed. The thread that completes it
     * runs whatever is chained to it, so it must not be a thread that may not block briefly.
     *
     * @param millis milliseconds
     * @return a future that completes once {@code millis} have passed
     */
    CompletableFuture<Void> delay(long millis);

    /**
     * Real time, via {@link CompletableFuture#delayedExecutor}: completes on a common-pool thread.
     *
     * @return the delayer
     */
    static Delayer realTime() {
        return millis -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            CompletableFuture.delayedExecutor(Math.max(0, millis), TimeUnit.MILLISECONDS)
                    .execute(() -> done.complete(null));
            return done;
        };
    }

    /**
     * Real time on a given scheduler; the future completes on its thread.
     *
     * @param scheduler the scheduler
     * @return the delayer
     */
    static Delayer on(ScheduledExecutorService scheduler) {
        return millis -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            scheduler.schedule(() -> done.complete(null), Math.max(0, millis), TimeUnit.MILLISECONDS);
            return done;
        };
    }

    /**
     * No wait at all (already completed futures); for tests.
     *
     * @return the delayer
     */
    static Delayer immediate() {
        return millis -> CompletableFuture.completedFuture(null);
    }
}
