package dev.scout.cli.api.events;

import dev.scout.cli.api.ApiException;
import dev.scout.cli.api.ApiRequest;
import dev.scout.cli.api.Jackson;
import dev.scout.cli.api.Resource;
import dev.scout.cli.api.Route;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /v1/events}: Server-Sent Events. First {@code retry:} and a {@code ready} event (the
 * subscription is in place: everything after it is delivered); for a client that sends {@code
 * Last-Event-ID}, then every event after that id from the bus's journal, or one {@code reset} event when
 * the journal no longer reaches back that far; then {@code message}, {@code contact}, {@code read} and
 * session events as they happen, each with its {@code id:}.
 *
 * <p>A comment line goes out every {@value #HEARTBEAT_MILLIS} ms while idle: a write to a client that
 * went away fails by the second one, so its slot frees within about two heartbeats, and idle proxies
 * and clients notice a dead daemon. The stream also ends when the daemon stops or the client falls
 * {@value EventBus#QUEUE} events behind (it reconnects and replays).
 */
public final class EventsResource implements Resource {
    static final long HEARTBEAT_MILLIS = 1_000;
    /** What {@code retry:} tells clients to wait before reconnecting. */
    static final long RETRY_MILLIS = 2_000;
    private final EventBus events;

    public EventsResource(EventBus events) {
        this.events = events;
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.events("/v1/events", this::stream));
    }

    private void stream(ApiRequest request, HttpExchange ex) throws IOException {
        Long last = lastEventId(ex.getRequestHeaders().getFirst("Last-Event-ID"));
        try (EventBus.Subscription sub = events.subscribe(last)) {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.getResponseHeaders().set("Cache-Control", "no-cache");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            write(out, "retry: " + RETRY_MILLIS + "\nevent: ready\ndata: {}\n\n");
            EventBus.Replay replay = sub.replay();
            if (replay.reset()) {
                write(out, "id: " + replay.latestId() + "\nevent: reset\ndata: {}\n\n");
            }
            for (EventBus.Event e : replay.events()) {
                write(out, format(e));
            }
            while (!Thread.currentThread().isInterrupted() && !sub.overflowed()) {
                EventBus.Event e = sub.next(HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
                write(out, e == null ? ":\n\n" : format(e));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the daemon is stopping
        }
    }

    /** The header's id, null when absent; 400 when it is not a decimal id. */
    static Long lastEventId(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            long id = Long.parseLong(header.strip());
            if (id < 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw new ApiException(400, "bad_event_id", "Last-Event-ID must be an event id given by this daemon");
        }
    }

    private static String format(EventBus.Event e) {
        return "id: " + e.id() + "\nevent: " + e.type() + "\ndata: " + Jackson.line(e.data()) + "\n\n";
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
