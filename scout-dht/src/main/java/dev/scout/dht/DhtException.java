package dev.scout.dht;

/** A DHT operation that failed in a way the caller should handle (not a bug). */
public class DhtException extends ScoutException {
    private static final long serialVersionUID = 1L;

    public DhtException(String message) {
        super(message);
    }

    public DhtException(String message, Throwable cause) {
        super(message, cause);
    }
}
