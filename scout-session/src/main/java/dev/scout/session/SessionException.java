package dev.scout.session;

import java.io.IOException;

/** A session could not be opened or ended abnormally; the message names the reason in one line. */
public class SessionException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message the reason, in one line */
    public SessionException(String message) {
        super(message);
    }
}
