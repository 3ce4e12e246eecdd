package dev.scout.cli.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scout.dht.Addresses;
import dev.scout.session.Session;
import dev.scout.session.SessionException;
import dev.scout.session.SessionStream;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One direct session the daemon holds for its API: the session, whom it is with, and the two byte
 * streams the API exposes — ours (opened on the first {@code POST …/stream}) and the peer's (the first
 * stream the peer opens, read by {@code GET …/stream}).
 */
final class LiveSession {
    final String id;
    final String contact;
    final Session session;
    final boolean incoming;
    final long connectMillis;
    /** How it was made: path, direct, intent (ours or the contact's, answered) or incoming. */
    final String via;
    private final AtomicBoolean claimed;
    /** Whether {@code POST /v1/sessions} gave it to a caller already (each session goes to one caller). */
    private final AtomicBoolean handedOut = new AtomicBoolean();
    private final AtomicBoolean writing = new AtomicBoolean();
    private final AtomicBoolean reading = new AtomicBoolean();
    private volatile String ended;
    private volatile String readError;

    /** The relay the session runs through, or null. */
    final java.net.InetSocketAddress relay;

    LiveSession(String id, String contact, Session session, boolean incoming, long connectMillis, String via,
                java.net.InetSocketAddress relay) {
        this.relay = relay;
        this.id = id;
        this.contact = contact;
        this.session = session;
        this.incoming = incoming;
        this.connectMillis = connectMillis;
        this.via = via;
        this.claimed = new AtomicBoolean(!incoming);
    }

    /** Takes an incoming session for an API caller; false if someone already did. */
    boolean claim() {
        return claimed.compareAndSet(false, true);
    }

    /** Gives it to a caller of {@code POST /v1/sessions}; false if one already has it. */
    boolean handOut() {
        return handedOut.compareAndSet(false, true);
    }

    boolean claimed() {
        return claimed.get();
    }

    boolean ended() {
        return ended != null;
    }

    void ended(String reason) {
        ended = reason;
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
        ObjectNode o = Jackson.object().put("id", id).put("contact", contact)
                .put("public_key", session.peer().toZBase32()).put("peer", session.peer().toZBase32()) // peer: the old name
                .put("remote", Addresses.format(session.remoteAddress())).put("incoming", incoming)
                .put("claimed", claimed.get()).put("connect_ms", connectMillis).put("via", via);
        if (relay != null) {
            o.put("relay", Addresses.format(relay));
        }
        String e = ended;
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
