package dev.scout.dht;

/**
 * Bytes received from the network (or decrypted from it) do not follow the expected
 * layout: truncated, inconsistent lengths, or garbage.
 *
 * <pre>{@code
 * EntryVector.decode(new byte[] {5}); // throws FormatException
 * }</pre>
 */
public class FormatException extends ScoutException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, one line
     */
    public FormatException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong, one line
     * @param cause the underlying failure
     */
    public FormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
