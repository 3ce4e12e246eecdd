package dev.scout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scout.cli.api.Jackson;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** A daemon's {@code GET /v1/events}, read event by event; opened once its {@code ready} event arrived. */
final class EventStream implements AutoCloseable {
    /** One event. */
    record Event(String type, JsonNode data, String id) {
    }

    private final BufferedReader in;

    private EventStream(BufferedReader in) {
        this.in = in;
    }

    static EventStream open(DaemonHarness daemon) throws Exception {
        return open(daemon, null);
    }

    /** Opens it with {@code Last-Event-ID: lastEventId} (none when null). */
    static EventStream open(DaemonHarness daemon, String lastEventId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(daemon.file.url() + "/v1/events"))
                .header("Authorization", "Bearer " + daemon.file.token()).timeout(Duration.ofSeconds(120)).GET();
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        HttpRequest events = b.build();
        HttpResponse<InputStream> r = DaemonHarness.HTTP.send(events, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        EventStream s = new EventStream(new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8)));
        assertThat(s.next().type()).isEqualTo("ready");
        return s;
    }

    /** The next event (keepalive comments skipped); fails if the stream ends. */
    Event next() throws Exception {
        return next(Long.MAX_VALUE);
    }

    /**
     * The next event, failing once {@code deadline} (System.nanoTime) has passed: checked at every line,
     * and the daemon sends a heartbeat line every second while idle, so the wait overshoots by a second at most.
     */
    private Event next(long deadline) throws Exception {
        String type = null;
        String id = null;
        StringBuilder data = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no matching event within the wait");
            }
            if (line.isEmpty()) {
                if (type != null) {
                    return new Event(type, Jackson.parse(data.length() == 0 ? "{}" : data.toString()), id);
                }
            } else if (line.startsWith("event: ")) {
                type = line.substring(7);
            } else if (line.startsWith("id: ")) {
                id = line.substring(4);
            } else if (line.startsWith("data: ")) {
                data.append(line.substring(6));
            }
        }
        throw new AssertionError("the event stream ended");
    }

    /** The first event that matches, within 60 s. */
    Event await(Predicate<Event> wanted) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            Event e = next(deadline);
            if (wanted.test(e)) {
                return e;
            }
        }
    }

    @Override
    public void close() throws Exception {
        in.close();
    }
}
