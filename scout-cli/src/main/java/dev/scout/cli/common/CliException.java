package dev.scout.cli.common;

/** A failure to report to the user as one line (exit 1); the message is the whole story. */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CliException(String message) {
        super(message);
    }

    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
