package dev.scout.app;

import dev.scout.dht.DhtException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Blocking on the DHT's futures for {@link ScoutApp}, whose methods block their caller by design. */
final class DhtWait {
    /** The longest a single DHT operation (lookup, put, synchronize) may take here. */
    static final long OPERATION_TIMEOUT_SECONDS = 120;

    private DhtWait() {}

    /** Waits for a DHT operation; its failure comes back as the exception that caused it. */
    static <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(OPERATION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            while ((cause instanceof ExecutionException || cause instanceof CompletionException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new DhtException(what + " failed: " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new DhtException(what + " timed out after " + OPERATION_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DhtException("interrupted");
        }
    }
}
