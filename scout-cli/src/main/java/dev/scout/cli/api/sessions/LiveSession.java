package dev.scout.cli.api.sessions;

import dev.scout.cli.api.ApiException;
import dev.scout.cli.api.Jackson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scout.dht.Addresses;
import dev.scout.node.ContactSession;
import dev.scout.session.Session;
import dev.scout.session.SessionException;
import dev.scout.session.SessionStream;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One direct session the daemon's node holds, as the API shows it: the {@link ContactSession} and the
 * two byte streams the API exposes — ours (opened on the first {@code POST …/stream}) and the peer's
 * (the first stream the peer opens, read by {@code GET …/stream}).
 */
final class LiveSession {
    final String id;
    final Session session;
    private final ContactSession held;
    /** Whether {@code POST /v1/sessions} gave it to a caller already (each session goes to one caller). */
    private final AtomicBoolean handedOut = new AtomicBoolean();
    private final AtomicBoolean writing = new AtomicBoolean();
    private final AtomicBoolean reading = new AtomicBoolean();
    private volatile String readError;

    LiveSession(ContactSession held) {
        this.held = held;
        this.id = held.id();
        this.session = held.session();
    }

    /** The contact's name. */
    String contact() {
        return held.contact();
    }

    /** Gives it to a caller of {@code POST /v1/sessions}; false if one already has it. */
    boolean handOut() {
        return handedOut.compareAndSet(false, true);
    }

    void readFailed(String reason) {
        readError = reason;
    }

    /** Our stream, opened once; a second writer is refused (bytes of two writers would interleave). */
    SessionStream openOurs() throws SessionException {
        if (!writing.compareAndSet(false, true)) {
            throw new ApiException(409, "session " + id + " already has a writer (one POST …/stream per session)");
        }
        return session.openStream();
    }

    /** The peer's first stream; a second reader is refused. */
    CompletableFuture<SessionStream> acceptTheirs() {
        if (!reading.compareAndSet(false, true)) {
            throw new ApiException(409, "session " + id + " already has a reader (one GET …/stream per session)");
        }
        return session.acceptStream();
    }

    ObjectNode json() {
        ObjectNode o = Jackson.object().put("id", id).put("contact", held.contact())
                .put("public_key", session.peer().toZBase32()).put("peer", session.peer().toZBase32()) // peer: the old name
                .put("remote", Addresses.format(session.remoteAddress())).put("incoming", held.incoming())
                .put("claimed", held.claimed()).put("connect_ms", held.connectMillis()).put("via", held.via());
        held.relay().ifPresent(r -> o.put("relay", Addresses.format(r)));
        held.punch().ifPresent(p -> o.put("punch", p));
        String e = held.endReason().orElse(null);
        o.put("state", e == null ? "open" : "ended");
        if (e != null) {
            o.put("reason", e);
        }
        if (readError != null) {
            o.put("read_error", readError);
        }
        return o;
    }
}
