package dev.scout.dht;

/**
 * Base of every error Scout reports. Unchecked, because almost all of them mean
 * "this input cannot be used" and callers handle them at one boundary.
 *
 * <pre>{@code
 * try {
 *     Ed25519PublicKey peer = Ed25519PublicKey.parse(userInput);
 * } catch (ScoutException e) {
 *     System.err.println(e.getMessage());
 * }
 * }</pre>
 */
public class ScoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, one line
     */
    public ScoutException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong, one line
     * @param cause the underlying failure
     */
    public ScoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
