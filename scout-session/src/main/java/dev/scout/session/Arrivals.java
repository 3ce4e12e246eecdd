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
        byte[] m;
        while ((m = messages.poll()) != null) {
            byte[] msg = m;
            callbacks.execute(() -> l.accept(msg));
        }
    }

    synchronized void message(byte[] m) {
        if (listener != null) {
            Consumer<byte[]> l = listener;
            callbacks.execute(() -> l.accept(m));
        } else if (messages.size() < MAX_HELD_MESSAGES) {
            messages.add(m);
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
