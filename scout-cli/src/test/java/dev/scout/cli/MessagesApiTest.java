package dev.scout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scout.cli.api.Jackson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Messages over real HTTP between two live daemons: fetched messages stay unread until the user marks
 * them read, the mark reaches the sender as a {@code read_by_contact} receipt, pages follow their cursor,
 * one message is found by id, and bad query values are refused.
 */
@Timeout(300)
class MessagesApiTest {
    @TempDir
    Path tmp;

    @Test
    void aNewMessageStaysUnreadUntilMarkedReadAndTheSenderSeesTheReceipt() throws Exception {
        LiveDaemons live = LiveDaemons.get();
        try (DaemonHarness reader = live.own(tmp, "reader")) {
            String id = live.bob.expect(201, "POST", "/v1/messages", "{\"contact\": \"reader\", \"text\": \"hello reader\"}")
                    .get("message_id").asText();
            JsonNode sent = live.bob.expect(200, "GET", "/v1/messages/" + id, null);
            assertThat(sent.get("direction").asText()).isEqualTo("sent");
            assertThat(sent.get("text").asText()).isEqualTo("hello reader");
            assertThat(sent.get("receipt").asText()).isIn("stored", "read_by_contact");

            // The daemon's poll fetches it; it stays unread, also after more fetching.
            reader.await("/v1/messages?unread=true&contact=bob", r -> ids(r).contains(id), "the message fetched, unread");
            reader.expect(200, "POST", "/v1/inbox", "{\"contact\": \"bob\"}");
            assertThat(ids(reader.expect(200, "GET", "/v1/messages?unread=true", null))).containsExactly(id);
            JsonNode one = reader.expect(200, "GET", "/v1/messages/" + id, null);
            assertThat(one.get("read").asBoolean()).isFalse();
            assertThat(one.get("direction").asText()).isEqualTo("received");
            assertThat(one.get("sent_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(live.bob.expect(200, "GET", "/v1/messages/" + id, null).get("receipt").asText()).isEqualTo("stored");

            try (EventStream events = EventStream.open(reader)) {
                JsonNode read = reader.expect(200, "POST", "/v1/messages/read", "{\"contact\": \"bob\", \"up_to\": \"" + id + "\"}");
                assertThat(read.get("read_marks").findValuesAsText("message_id")).contains(id);
                assertThat(events.await(e -> e.type().equals("read")).data().get("up_to").asText()).isEqualTo(id);
            }
            assertThat(ids(reader.expect(200, "GET", "/v1/messages?unread=true", null))).isEmpty();
            assertThat(reader.expect(200, "GET", "/v1/messages/" + id, null).get("read").asBoolean()).isTrue();
            // Bob's daemon sees the published read mark at its next poll.
            live.bob.await("/v1/messages/" + id, r -> r.get("receipt").asText().equals("read_by_contact"),
                    "Bob's receipt read_by_contact");
            // scout messages: the conversation with its states, on both sides (through each daemon).
            assertThat(CliTestSupport.succeeded(CliTestSupport.run("--state-dir", reader.dir.toString(), "messages", "bob"))
                    .out()).contains("← bob: hello reader  (read)");
            assertThat(live.bobCli("messages", "reader").out()).contains("→ reader: hello reader  (read_by_contact)");
        }
    }

    @Test
    void pagesFollowTheirCursorAndBadQueryValuesAreRefused() throws Exception {
        LiveDaemons live = LiveDaemons.get();
        try (DaemonHarness pager = live.own(tmp, "pager")) {
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                sent.add(live.bob.expect(201, "POST", "/v1/messages", "{\"contact\": \"pager\", \"text\": \"page " + i + "\"}")
                        .get("message_id").asText());
            }
            pager.await("/v1/messages?contact=bob", r -> r.get("messages").size() == 3, "three messages fetched");
            List<String> paged = new ArrayList<>();
            String next = null;
            int pages = 0;
            do {
                JsonNode page = pager.expect(200, "GET", "/v1/messages?contact=bob&limit=2" + (next == null ? "" : "&after=" + next), null);
                assertThat(page.get("messages").size()).isLessThanOrEqualTo(2);
                paged.addAll(ids(page));
                next = page.get("next").isNull() ? null : page.get("next").asText();
                pages++;
            } while (next != null);
            assertThat(paged).containsExactlyElementsOf(sent);
            assertThat(pages).isEqualTo(2);
            // Bob's sent list to pager, in sending order.
            assertThat(ids(live.bob.expect(200, "GET", "/v1/messages?direction=sent&contact=pager", null)))
                    .containsExactlyElementsOf(sent);

            for (String[] bad : new String[][] {{"unread=yes", "bad_query"}, {"limit=0", "bad_query"},
                    {"limit=abc", "bad_query"}, {"limit=1001", "bad_query"}, {"direction=up", "bad_query"},
                    {"after=garbage", "bad_cursor"}, {"sort=new", "bad_query"}, {"direction=sent&unread=true", "bad_query"},
                    {"contact=nobody", "unknown_contact"}}) {
                HttpResponse<String> r = pager.call("GET", "/v1/messages?" + bad[0], null);
                assertThat(r.statusCode()).as(bad[0]).isEqualTo(bad[1].equals("unknown_contact") ? 404 : 400);
                assertThat(Jackson.parse(r.body()).get("code").asText()).as(bad[0]).isEqualTo(bad[1]);
            }
        }
    }

    private static List<String> ids(JsonNode page) {
        return page.get("messages").findValuesAsText("message_id");
    }
}
