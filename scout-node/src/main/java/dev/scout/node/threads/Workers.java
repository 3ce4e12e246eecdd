package dev.scout.node.threads;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * Where a node's verbs run: a pool of daemon threads, each task once the node's first join is over,
 * joined or not (operations then run, and fail clearly while offline).
 */
public final class Workers implements AutoCloseable {
    private final ExecutorService pool = DaemonThreads.pool("scout-node");
    private final CompletableFuture<Void> firstJoinOver;

    /** @param joined completes once the DHT node has joined (or failed to) */
    public Workers(CompletableFuture<Void> joined) {
        this.firstJoinOver = joined.handle((v, e) -> null);
    }

    /** {@return the pool itself, for work that need not wait for the join} */
    public Executor executor() {
        return pool;
    }

    /**
     * Runs {@code task} on the pool once the first join is over.
     *
     * @param <T>  the result's type
     * @param task the work
     * @return its result
     */
    public <T> CompletableFuture<T> call(Supplier<T> task) {
        // Not joined yet (a daemon started offline keeps trying): run anyway; a DHT operation then fails
        // with its own clear reason ("stored on no DHT node") instead of "not joined" for ever.
        return firstJoinOver.thenApplyAsync(v -> task.get(), pool);
    }

    /** Stops the pool (tasks under way are interrupted). */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
