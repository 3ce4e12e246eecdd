package dev.scout.cli.client;

import java.util.concurrent.TimeoutException;

/** Error messages as the CLI prints them: one line, whatever the exception's message holds. */
public final class OneLine {
    private OneLine() {}

    /**
     * A one-line message for an (unwrapped) exception: its message, else its cause's, else its class's name.
     *
     * @param e the exception
     * @return the message on one line
     */
    public static String message(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            if (e instanceof TimeoutException) {
                return "timed out";
            }
            Throwable c = e.getCause();
            return c != null && c != e ? message(c) : e.getClass().getSimpleName();
        }
        return of(m);
    }

    /**
     * {@code s} stripped, with every line break (and the blanks around it) made one space.
     *
     * @param s text, or null
     * @return one line ("" for null)
     */
    public static String of(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
