package dev.scout.cli.api;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Events for {@code GET /v1/events}: each subscriber has its own bounded queue. A subscriber that falls
 * {@value #QUEUE} events behind is dropped (its stream ends; it reconnects and re-reads state), so a
 * stalled reader never holds the daemon's memory.
 */
public final class EventBus {
    static final int QUEUE = 1_000;

    /** One event: its SSE {@code event:} name and JSON {@code data:}. */
    public record Event(String type, JsonNode data) {
    }

    /** A subscriber's queue. */
    public final class Subscription implements AutoCloseable {
        private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE);
        private volatile boolean overflowed;

        /** The next event, or null if none came within the timeout. */
        public Event next(long timeout, TimeUnit unit) throws InterruptedException {
            return queue.poll(timeout, unit);
        }

        /** Whether events were lost because this subscriber fell behind. */
        public boolean overflowed() {
            return overflowed;
        }

        private void offer(Event e) {
            if (!queue.offer(e)) {
                overflowed = true;
            }
        }

        @Override
        public void close() {
            subscribers.remove(this);
        }
    }

    private final Set<Subscription> subscribers = ConcurrentHashMap.newKeySet();

    public Subscription subscribe() {
        Subscription s = new Subscription();
        subscribers.add(s);
        return s;
    }

    public void publish(String type, JsonNode data) {
        Event e = new Event(type, data);
        for (Subscription s : subscribers) {
            s.offer(e);
        }
    }

    int subscribers() {
        return subscribers.size();
    }
}
