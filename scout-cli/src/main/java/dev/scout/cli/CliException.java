package dev.scout.cli;

/** A failure to report to the user as one line (exit 1); the message is the whole story. */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CliException(String message) {
        super(message);
    }

    CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
