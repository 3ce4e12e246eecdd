package dev.scout.dht.udp;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Whether a {@link DhtNode} is cut off from the DHT (its core's outage recovery says so on the loop),
 * and its listeners, told on the callback executor so they never run on the I/O thread.
 */
final class Connectivity {
    private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
    private final Executor callbacks;
    private volatile boolean offline;

    Connectivity(Executor callbacks) {
        this.callbacks = callbacks;
    }

    /** On the loop: an outage began ({@code false}) or ended. */
    void changed(boolean online) {
        offline = !online;
        try {
            callbacks.execute(() -> listeners.forEach(l -> l.accept(online)));
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    void listen(Consumer<Boolean> listener) {
        listeners.add(listener);
    }

    boolean offline() {
        return offline;
    }
}
