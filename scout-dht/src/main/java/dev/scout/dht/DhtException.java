package dev.scout.dht;

/** A DHT operation that failed in a way the caller should handle (not a bug). */
public class DhtException extends ScoutException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, one line
     */
    public DhtException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong, one line
     * @param cause the underlying failure
     */
    public DhtException(String message, Throwable cause) {
        super(message, cause);
    }
}
