package dev.scout.dht;

/**
 * A sealed box could not be opened: the authentication tag does not match (wrong
 * key, or the data was modified) or the input is too short to hold a box.
 *
 * <pre>{@code
 * SecretBox.open(wrongKey, nonce, box); // throws DecryptionException
 * }</pre>
 */
public class DecryptionException extends ScoutException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, one line
     */
    public DecryptionException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong, one line
     * @param cause the underlying failure
     */
    public DecryptionException(String message, Throwable cause) {
        super(message, cause);
    }
}
