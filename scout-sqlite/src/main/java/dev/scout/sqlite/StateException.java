package dev.scout.sqlite;

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
}
