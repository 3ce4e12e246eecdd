package dev.scout.session;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * What the peer started that the application has not taken yet: streams waiting for
 * {@code acceptStream} and short messages waiting for a listener. Filled by the session loop,
 * emptied by application threads; completions run on the callback executor.
 */
final class Arrivals {
    private static final int MAX_HELD_MESSAGES = 256;

    private final Executor callbacks;
    private final ArrayDeque<StreamImpl> streams = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<SessionStream>> acceptors = new ArrayDeque<>();
    private final ArrayDeque<byte[]> messages = new ArrayDeque<>();
    private Consumer<byte[]> listener;
    private boolean delivering;
    private SessionException closed;

    Arrivals(Executor callbacks) {
        this.callbacks = callbacks;
    }

    synchronized CompletableFuture<SessionStream> accept() {
        CompletableFuture<SessionStream> f = new CompletableFuture<>();
        StreamImpl s = streams.poll();
        if (s != null) {
            f.complete(s);
        } else if (closed != null) {
            f.completeExceptionally(closed);
        } else {
            acceptors.add(f);
        }
        return f;
    }

    synchronized void stream(StreamImpl s) {
        CompletableFuture<SessionStream> waiter = acceptors.poll();
        if (waiter != null) {
            callbacks.execute(() -> waiter.complete(s));
        } else {
            streams.add(s);
        }
    }

    synchronized void onMessage(Consumer<byte[]> l) {
        listener = l;
        deliverLater();
    }

    /**
     * Holds a message for the listener. If {@value #MAX_HELD_MESSAGES} already wait: false while a
     * listener takes them (the caller leaves it unacknowledged, so the peer sends it again later);
     * without a listener the message is dropped (nobody takes messages in this session). A flood costs
     * at most that much memory and one callback thread per session.
     */
    synchronized boolean message(byte[] m) {
        if (messages.size() >= MAX_HELD_MESSAGES) {
            return listener == null;
        }
        messages.add(m);
        deliverLater();
        return true;
    }

    /** One delivery task at a time per session, in arrival order. */
    private void deliverLater() {
        if (listener != null && !delivering && !messages.isEmpty()) {
            delivering = true;
            callbacks.execute(this::deliver);
        }
    }

    private void deliver() {
        while (true) {
            byte[] m;
            Consumer<byte[]> l;
            synchronized (this) {
                m = messages.poll();
                l = listener;
                if (m == null) {
                    delivering = false;
                    return;
                }
            }
            try {
                l.accept(m);
            } catch (Throwable e) { // whatever the listener throws on one message, the next ones still go to it
            }
        }
    }

    synchronized void close(SessionException reason) {
        closed = reason;
        for (CompletableFuture<SessionStream> f : acceptors) {
            callbacks.execute(() -> f.completeExceptionally(reason));
        }
        acceptors.clear();
    }
}
