package dev.scout.session;

import dev.scout.dht.ScoutException;

/**
 * A session could not be opened or ended abnormally; the message names the reason in one line.
 * Unchecked, part of the {@link ScoutException} hierarchy like every Scout error. Where the JDK's
 * stream contract demands an {@link java.io.IOException} (reading or writing a
 * {@link SessionStream}'s {@code InputStream}/{@code OutputStream}), the stream throws an
 * {@code IOException} whose cause is this exception.
 */
public class SessionException extends ScoutException {
    private static final long serialVersionUID = 1L;

    /** @param message the reason, in one line */
    public SessionException(String message) {
        super(message);
    }

    /**
     * @param message the reason, in one line
     * @param cause the underlying failure
     */
    public SessionException(String message, Throwable cause) {
        super(message, cause);
    }
}
