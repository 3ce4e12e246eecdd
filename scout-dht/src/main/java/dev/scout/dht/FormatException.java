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

    public FormatException(String message) {
        super(message);
    }

    public FormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
