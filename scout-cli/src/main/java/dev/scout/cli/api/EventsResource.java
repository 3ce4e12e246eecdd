package dev.scout.cli.api;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /v1/events}: Server-Sent Events. First a {@code ready} event (the subscription is in
 * place: everything after it is delivered), then {@code message} and {@code contact} events as they
 * happen, and a comment line every {@value #KEEPALIVE_SECONDS} s so idle proxies and clients notice a
 * dead daemon. The stream ends when the client goes away, the daemon stops, or the client falls
 * {@value EventBus#QUEUE} events behind.
 */
public final class EventsResource implements Resource {
    static final long KEEPALIVE_SECONDS = 15;
    private final EventBus events;

    public EventsResource(EventBus events) {
        this.events = events;
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.stream("/v1/events", this::stream));
    }

    private void stream(ApiRequest request, HttpExchange ex) throws IOException {
        try (EventBus.Subscription sub = events.subscribe()) {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.getResponseHeaders().set("Cache-Control", "no-cache");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            write(out, "event: ready\ndata: {}\n\n");
            while (!Thread.currentThread().isInterrupted() && !sub.overflowed()) {
                EventBus.Event e = sub.next(KEEPALIVE_SECONDS, TimeUnit.SECONDS);
                write(out, e == null ? ": keepalive\n\n" : "event: " + e.type() + "\ndata: " + Jackson.line(e.data()) + "\n\n");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the daemon is stopping
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
