package dev.scout.dht;

/**
 * Something to be encoded does not fit the wire format (too many entries, content
 * too long, value larger than a DHT item may carry). Thrown while encoding, before
 * anything is sent.
 *
 * <pre>{@code
 * new RecordEntry(1, 1, 0, new byte[256]); // throws LimitExceededException
 * }</pre>
 */
public class LimitExceededException extends ScoutException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, one line
     */
    public LimitExceededException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong, one line
     * @param cause the underlying failure
     */
    public LimitExceededException(String message, Throwable cause) {
        super(message, cause);
    }
}
