package dev.scout.cli.daemon;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scout.cli.api.events.EventBus;
import dev.scout.cli.api.Jackson;
import dev.scout.sqlite.error.StateException;

import java.time.Instant;

/**
 * Whether the daemon's state database accepts writes. A failed write (a full disk: {@code SQLITE_FULL})
 * does not stop the daemon: it is reported here (in {@code GET /v1/status} as {@code storage} and as a
 * {@code storage} event on each change), the daemon's loop retries every {@link #RETRY_MILLIS} ms,
 * and the first write that succeeds again clears it. Nothing is lost: a write that failed was never
 * acknowledged (the API answers 507), and what the daemon fetches is fetched again on the next poll.
 */
final class StorageHealth {
    /** How soon the loop retries while writes fail. */
    static final long RETRY_MILLIS = 2_000;

    private final EventBus events;
    private String error;
    private Instant since;

    StorageHealth(EventBus events) {
        this.events = events;
    }

    /** A write failed; returns the line to log on the first failure of a run, else null. */
    synchronized String failed(StateException e) {
        boolean first = error == null;
        error = e.getMessage();
        if (first) {
            since = Instant.now();
            events.publish("storage", json());
            return "cannot write the state database (" + (e.outOfSpace() ? "the disk is full" : "write failed")
                    + "); serving on and retrying every " + RETRY_MILLIS / 1000 + " s: " + error;
        }
        return null;
    }

    /** A write succeeded; returns the line to log when that ends a failure, else null. */
    synchronized String succeeded() {
        if (error == null) {
            return null;
        }
        error = null;
        since = Instant.now();
        events.publish("storage", json());
        return "the state database accepts writes again";
    }

    synchronized boolean failing() {
        return error != null;
    }

    /** {@code {"ok": bool, "error"?: "one line", "since"?: ISO-8601}}: since when it is in this condition. */
    synchronized ObjectNode json() {
        ObjectNode o = Jackson.object().put("ok", error == null);
        if (error != null) {
            o.put("error", error);
        }
        if (since != null) {
            o.put("since", since.toString());
        }
        return o;
    }
}
