package dev.scout.cli.client;

/**
 * A call to the daemon, or a pipe through it, failed: its message is the one line printed after
 * {@code scout: }, as a {@code CliException}'s would be. No stack trace: it is never shown.
 */
public final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message the one line, the whole story */
    public Failure(String message) {
        super(message, null, false, false);
    }
}
