package dev.scout.core;

import dev.scout.dht.DecryptionException;

/**
 * The contact record found in the DHT cannot be opened with this pair's keys: its value was
 * modified, it was encrypted with another pair's key, it is not signed by the pair's record key,
 * or it is not a sealed record at all. {@code synchronize} reports this instead of treating the
 * record as empty, because overwriting it could destroy entries the other side wrote.
 *
 * <pre>{@code
 * synchronizer.synchronize(keys, local, listener).exceptionally(e -> {
 *     if (e.getCause() instanceof RecordDecryptionException bad) {
 *         log.warn("contact record seq {} is unreadable: {}", bad.seq(), bad.getMessage());
 *     }
 *     return null;
 * });
 * }</pre>
 */
public class RecordDecryptionException extends DecryptionException {

    private static final long serialVersionUID = 1L;

    /** Seq of the record that did not open. */
    private final long seq;

    /**
     * Creates the exception.
     *
     * @param seq the record's seq
     * @param message what went wrong, one line
     */
    public RecordDecryptionException(long seq, String message) {
        super(message);
        this.seq = seq;
    }

    /**
     * Creates the exception with its cause.
     *
     * @param seq the record's seq
     * @param message what went wrong, one line
     * @param cause the underlying failure
     */
    public RecordDecryptionException(long seq, String message, Throwable cause) {
        super(message, cause);
        this.seq = seq;
    }

    /** {@return the BEP 44 seq of the record that could not be opened} */
    public long seq() {
        return seq;
    }
}
