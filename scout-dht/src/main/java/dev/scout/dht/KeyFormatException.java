package dev.scout.dht;

/**
 * A key is malformed: wrong length, characters outside its alphabet, or 32 bytes
 * that are not a valid Ed25519 public key.
 *
 * <pre>{@code
 * Ed25519PublicKey.parse("not-a-key"); // throws KeyFormatException
 * }</pre>
 */
public class KeyFormatException extends ScoutException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, one line
     */
    public KeyFormatException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong, one line
     * @param cause the underlying failure
     */
    public KeyFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
