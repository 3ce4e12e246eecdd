package dev.scout.cli.api.events;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Events for {@code GET /v1/events}: each subscriber has its own bounded queue, and the bus keeps a
 * journal of the last {@value #JOURNAL_EVENTS} events (none older than {@value #JOURNAL_MINUTES} min)
 * so a client that reconnects with {@code Last-Event-ID} gets what it missed. A subscriber that falls
 * {@value #QUEUE} events behind is dropped (its stream ends; it reconnects and replays from the journal),
 * so a stalled reader never holds the daemon's memory.
 *
 * <p>Event ids increase by one per event and start at the daemon's start time in milliseconds, so an
 * id a client kept from an earlier daemon run is below the journal and gets a reset, never a wrong replay.
 */
public final class EventBus {
    static final int QUEUE = 1_000;
    static final int JOURNAL_EVENTS = 1_000;
    static final long JOURNAL_MINUTES = 10;

    /** One event: its id, SSE {@code event:} name, JSON {@code data:} and when it was published (ms). */
    public record Event(long id, String type, JsonNode data, long at) {
    }

    /**
     * What a subscriber gets before live events: the journal's events after its last id, or a reset
     * (the journal no longer reaches back that far, or the id is not one this daemon gave).
     *
     * @param events   the events to replay, oldest first
     * @param reset    whether the client must re-read state instead
     * @param latestId the id of the newest event published so far (the reset event carries it)
     */
    public record Replay(List<Event> events, boolean reset, long latestId) {
    }

    /** A subscriber's queue. */
    public final class Subscription implements AutoCloseable {
        private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE);
        private volatile boolean overflowed;
        private Replay replay;

        /** The next event, or null if none came within the timeout. */
        public Event next(long timeout, TimeUnit unit) throws InterruptedException {
            return queue.poll(timeout, unit);
        }

        /** What to send before the live events (empty for a subscriber without a last id). */
        public Replay replay() {
            return replay;
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
    private final Deque<Event> journal = new ArrayDeque<>();
    private final LongSupplier clock;
    private long nextId;

    public EventBus() {
        this(System::currentTimeMillis);
    }

    EventBus(LongSupplier clock) {
        this.clock = clock;
        this.nextId = clock.getAsLong();
    }

    /** A new subscriber that gets every event published after this call. */
    public Subscription subscribe() {
        return subscribe(null);
    }

    /**
     * A new subscriber; with {@code lastEventId} (a client's {@code Last-Event-ID}), its {@link
     * Subscription#replay()} holds the events after that id, atomically with the subscription, so none is
     * missed or sent twice.
     */
    public synchronized Subscription subscribe(Long lastEventId) {
        Subscription s = new Subscription();
        trim();
        long latest = nextId - 1;
        if (lastEventId == null) {
            s.replay = new Replay(List.of(), false, latest);
        } else {
            long oldest = journal.isEmpty() ? nextId : journal.peekFirst().id();
            if (lastEventId > latest || lastEventId < oldest - 1) {
                s.replay = new Replay(List.of(), true, latest);
            } else {
                List<Event> missed = new ArrayList<>();
                for (Event e : journal) {
                    if (e.id() > lastEventId) {
                        missed.add(e);
                    }
                }
                s.replay = new Replay(List.copyOf(missed), false, latest);
            }
        }
        subscribers.add(s);
        return s;
    }

    public synchronized void publish(String type, JsonNode data) {
        Event e = new Event(nextId++, type, data, clock.getAsLong());
        journal.addLast(e);
        trim();
        for (Subscription s : subscribers) {
            s.offer(e);
        }
    }

    /** Drops journal entries beyond the count or older than the age limit (O(1) amortized per event). */
    private void trim() {
        long oldestKept = clock.getAsLong() - TimeUnit.MINUTES.toMillis(JOURNAL_MINUTES);
        while (journal.size() > JOURNAL_EVENTS || (!journal.isEmpty() && journal.peekFirst().at() < oldestKept)) {
            journal.removeFirst();
        }
    }

    int subscribers() {
        return subscribers.size();
    }
}
