package dev.scout.core;

import dev.scout.dht.PutConflictException;
import dev.scout.dht.PutResult;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one {@link KeepAlive.Registration}'s re-stores came to: counts, the latest result or error, and
 * the future of the next re-store. The counters and latest outcome are read from any thread; the
 * {@code next} future is swapped only under the registration's lock (callers hold it).
 */
final class RefreshRecord {
    private volatile PutResult lastResult;
    private volatile Throwable lastError;
    private final AtomicLong refreshes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private CompletableFuture<PutResult> next = new CompletableFuture<>();

    /**
     * Nodes that hold the item after a re-store: those that stored it, and those that refused it
     * because they hold a newer version (302) — the record is alive there too.
     */
    static long alive(PutResult result) {
        return result.stored() + result.outcomes().stream()
                .filter(o -> !o.stored() && o.errorCode() == PutConflictException.SEQ_NOT_NEWER).count();
    }

    long refreshes() {
        return refreshes.get();
    }

    long failures() {
        return failures.get();
    }

    Optional<PutResult> lastResult() {
        return Optional.ofNullable(lastResult);
    }

    Optional<Throwable> lastError() {
        return Optional.ofNullable(lastError);
    }

    /** The future of the next re-store (under the registration's lock). */
    CompletableFuture<PutResult> next() {
        return next;
    }

    /**
     * Records a re-store's outcome ({@code cause} null on success) and starts a new {@code next};
     * returns the finished one, for the caller to complete once the following timer is set. Under the
     * registration's lock.
     */
    CompletableFuture<PutResult> record(PutResult result, Throwable cause) {
        if (cause == null) {
            lastResult = result;
            lastError = null;
            refreshes.incrementAndGet();
        } else {
            lastError = cause;
            failures.incrementAndGet();
        }
        CompletableFuture<PutResult> done = next;
        next = new CompletableFuture<>();
        return done;
    }
}
