package dev.scout.cli;

import java.io.PrintWriter;

/** Progress notes on stderr, shown only to a person at a terminal (never when piped or with --json). */
final class Progress {
    private final PrintWriter err;
    private final boolean enabled;

    Progress(PrintWriter err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    /** Enabled when stdin/stdout are a terminal ({@code System.console() != null}) and output is not JSON. */
    static Progress forTerminal(PrintWriter err, boolean json) {
        return new Progress(err, !json && System.console() != null);
    }

    void step(String message) {
        if (enabled) {
            err.println(message);
            err.flush();
        }
    }
}
