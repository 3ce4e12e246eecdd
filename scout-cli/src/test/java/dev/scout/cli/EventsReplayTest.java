package dev.scout.cli;

import dev.scout.cli.api.Jackson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /v1/events} over real HTTP: ids and {@code retry:}, replay after {@code Last-Event-ID} of
 * the events published while the client was away, a reset when the journal cannot replay, and event
 * streams in their own slots that free as soon as a client goes away.
 */
@Timeout(300)
class EventsReplayTest {
    @TempDir
    Path tmp;

    @Test
    void aClientThatReconnectsWithLastEventIdGetsTheFiveEventsItMissedInOrder() throws Exception {
        LiveDaemons live = LiveDaemons.get();
        try (DaemonHarness carla = live.own(tmp, "replayer")) {
            String lastSeen;
            try (EventStream events = EventStream.open(carla)) {
                live.bob.expect(201, "POST", "/v1/messages", "{\"contact\": \"replayer\", \"text\": \"before\"}");
                EventStream.Event e = events.await(ev -> ev.type().equals("message")
                        && ev.data().get("text").asText().equals("before"));
                lastSeen = e.id();
                assertThat(Long.parseLong(lastSeen)).isPositive();
            }
            for (int i = 1; i <= 5; i++) {
                live.bob.expect(201, "POST", "/v1/messages", "{\"contact\": \"replayer\", \"text\": \"missed " + i + "\"}");
            }
            carla.await("/v1/messages?contact=bob", r -> r.get("messages").size() >= 6, "the daemon fetched 6 messages");
            try (EventStream events = EventStream.open(carla, lastSeen)) {
                List<String> texts = new ArrayList<>();
                long previous = Long.parseLong(lastSeen);
                while (texts.size() < 5) {
                    EventStream.Event e = events.await(ev -> ev.type().equals("message"));
                    assertThat(Long.parseLong(e.id())).isGreaterThan(previous);
                    previous = Long.parseLong(e.id());
                    texts.add(e.data().get("text").asText());
                }
                assertThat(texts).containsExactly("missed 1", "missed 2", "missed 3", "missed 4", "missed 5");
            }
            // An id older than the journal (or from another daemon run) gets one reset event, with the latest id.
            try (EventStream events = EventStream.open(carla, "1")) {
                EventStream.Event reset = events.next();
                assertThat(reset.type()).isEqualTo("reset");
                assertThat(Long.parseLong(reset.id())).isGreaterThan(Long.parseLong(lastSeen));
            }
            HttpResponse<String> bad = get(carla, "/v1/events", "Last-Event-ID", "yesterday");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(Jackson.parse(bad.body()).get("code").asText()).isEqualTo("bad_event_id");
        }
    }

    @Test
    void sixteenEventStreamsLeaveSessionStreamsFreeAndAClosedStreamFreesItsSlot() throws Exception {
        LiveDaemons live = LiveDaemons.get();
        try (DaemonHarness carla = live.own(tmp, "streamer")) {
            List<EventStream> open = new ArrayList<>();
            try {
                for (int i = 0; i < 16; i++) {
                    open.add(EventStream.open(carla));
                }
                HttpResponse<String> seventeenth = get(carla, "/v1/events", "Accept", "text/event-stream");
                assertThat(seventeenth.statusCode()).isEqualTo(503);
                assertThat(Jackson.parse(seventeenth.body()).get("code").asText()).isEqualTo("too_many_streams");
                // A session stream still gets a worker and a slot: a real session with Bob carries bytes.
                live.bob.expect(200, "POST", "/v1/sync", "{\"contacts\": [\"streamer\"]}");
                carla.expect(200, "POST", "/v1/sync", "{\"contacts\": [\"bob\"]}");
                String id = carla.expect(201, "POST", "/v1/sessions", "{\"contact\": \"bob\"}").get("id").asText();
                HttpResponse<String> sent = carla.call("POST", "/v1/sessions/" + id + "/stream", "while 16 event streams are open\n");
                assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
                assertThat(Jackson.parse(sent.body()).get("bytes").asLong()).isEqualTo(32);
                carla.expect(200, "DELETE", "/v1/sessions/" + id, null);
                HttpResponse<String> unknown = carla.call("GET", "/v1/sessions/nosuchsession/stream", null);
                assertThat(Jackson.parse(unknown.body()).get("code").asText()).isEqualTo("unknown_session");
                // One client goes away: its slot frees within a few heartbeats.
                open.remove(0).close();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (true) {
                    HttpResponse<InputStream> r = DaemonHarness.HTTP.send(request(carla, "/v1/events", "Accept", "text/event-stream"),
                            HttpResponse.BodyHandlers.ofInputStream());
                    if (r.statusCode() == 200) {
                        r.body().close();
                        break;
                    }
                    r.body().close();
                    assertThat(System.nanoTime()).as("the closed stream's slot was not freed within 10 s").isLessThan(deadline);
                    Thread.sleep(100); // poll interval of the bounded wait above
                }
            } finally {
                for (EventStream s : open) {
                    s.close();
                }
            }
        }
    }

    private static HttpRequest request(DaemonHarness d, String path, String header, String value) {
        return HttpRequest.newBuilder(URI.create(d.file.url() + path)).header("Authorization", "Bearer " + d.file.token())
                .header(header, value).timeout(Duration.ofSeconds(30)).GET().build();
    }

    private static HttpResponse<String> get(DaemonHarness d, String path, String header, String value) throws Exception {
        return DaemonHarness.HTTP.send(request(d, path, header, value), HttpResponse.BodyHandlers.ofString());
    }
}
