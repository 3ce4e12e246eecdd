package dev.scout.cli.common;

import java.io.PrintWriter;

/** Progress notes on stderr, shown only to a person at a terminal (never when piped or with --json). */
public final class Progress {
    private final PrintWriter err;
    private final boolean enabled;

    public Progress(PrintWriter err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    /** Enabled when stdin/stdout are a terminal ({@code System.console() != null}) and output is not JSON. */
    public static Progress forTerminal(PrintWriter err, boolean json) {
        return new Progress(err, !json && System.console() != null);
    }

    public void step(String message) {
        if (enabled) {
            err.println(message);
            err.flush();
        }
    }
}
