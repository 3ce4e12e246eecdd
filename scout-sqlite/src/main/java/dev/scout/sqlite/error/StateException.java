package dev.scout.sqlite.error;

import dev.scout.dht.ScoutException;

/**
 * Something is wrong with the state directory or the request made of it. The message is one
 * line meant for the user (it never contains the identity seed); the cause, if any, keeps the
 * underlying SQLite or I/O error for logs.
 */
public class StateException extends ScoutException {

    private static final long serialVersionUID = 1L;

    public StateException(String message) {
        super(message);
    }

    public StateException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether the database could not write because its filesystem is full ({@code SQLITE_FULL}, ENOSPC). */
    public boolean outOfSpace() {
        for (Throwable t = this; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if ((t instanceof java.sql.SQLException s && s.getErrorCode() == 13) || m.contains("SQLITE_FULL")
                    || m.contains("No space left")) {
                return true;
            }
        }
        return false;
    }
}
