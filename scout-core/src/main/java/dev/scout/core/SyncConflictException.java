package dev.scout.core;

import dev.scout.dht.ScoutException;

import dev.scout.dht.PutConflictException;

/**
 * {@code synchronize} gave up: every attempt to write the merged record was refused because
 * another device wrote the record in between (BEP 44 errors 301 or 302), as many times as the
 * {@link SyncPolicy} allows. Nothing is lost locally; synchronize again later.
 *
 * <pre>{@code
 * session.synchronize(keys, local, listener).whenComplete((result, error) -> {
 *     if (error instanceof SyncConflictException busy) {
 *         retryLater(busy.attempts());
 *     }
 * });
 * }</pre>
 */
public class SyncConflictException extends ScoutException {

    private static final long serialVersionUID = 1L;

    /** Attempts made. */
    private final int attempts;

    /**
     * Creates the exception.
     *
     * @param attempts attempts made
     * @param lastConflict the refusal of the last attempt
     */
    public SyncConflictException(int attempts, PutConflictException lastConflict) {
        super("contact record changed concurrently on every one of " + attempts
                + " attempts to write it; try again later", lastConflict);
        this.attempts = attempts;
    }

    /** {@return how many get-merge-put rounds were made} */
    public int attempts() {
        return attempts;
    }

    /** {@return the refusal of the last attempt} */
    public PutConflictException lastConflict() {
        return (PutConflictException) getCause();
    }
}
