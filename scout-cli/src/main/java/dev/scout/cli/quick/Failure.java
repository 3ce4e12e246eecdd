package dev.scout.cli.quick;

/**
 * A command on the quick path failed: its message is the one line printed after {@code scout: }, as
 * the full command line's {@code CliException} would print it. No stack trace: it is never shown.
 */
final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
        super(message, null, false, false);
    }
}
