package dev.scout.session;

import dev.scout.dht.Ed25519PublicKey;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * How one {@link Connection} ended, as the application sees it: its {@link Session#closed()} future,
 * and whether the peer ended it abnormally or written bytes were never acknowledged (then
 * {@link Session#close()} throws). Written on the loop thread, read from any thread.
 */
final class SessionOutcome {
    private final Ed25519PublicKey peer;
    /** The error that ended the session while written bytes were unacknowledged, or null. */
    private volatile SessionException unacknowledgedAtEnd;
    /** The peer refused or aborted the session (a CLOSE with a non-zero code), or null. */
    private volatile SessionException endedByPeer;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    SessionOutcome(Ed25519PublicKey peer) {
        this.peer = peer;
    }

    CompletableFuture<Void> closed() {
        return closed;
    }

    /** The peer refused or aborted the session. */
    void endedByPeer(SessionException e) {
        endedByPeer = e;
    }

    /** {@code error} ended the session while written bytes were unacknowledged. */
    void unacknowledged(SessionException error) {
        unacknowledgedAtEnd = error;
    }

    /** Completes {@link #closed()} on the callback pool: normally if {@code error} is null. */
    void complete(SessionException error, Consumer<Runnable> callbacks) {
        callbacks.accept(() -> {
            if (error == null) {
                closed.complete(null);
            } else {
                closed.completeExceptionally(error);
            }
        });
    }

    /** The peer ended the session abnormally, or written bytes were never acknowledged: not delivered. */
    void throwIfUnacknowledged() {
        if (endedByPeer != null) {
            throw new SessionException(endedByPeer.getMessage(), endedByPeer);
        }
        SessionException e = unacknowledgedAtEnd;
        if (e != null) {
            throw new SessionException("not every byte written reached " + peer + ": " + e.getMessage(), e);
        }
    }
}
