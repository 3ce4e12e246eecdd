package dev.scout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scout.cli.api.Jackson;
import dev.scout.cli.app.SyncCommand;
import dev.scout.cli.daemon.StatusCommand;
import dev.scout.cli.client.JsonReader;
import dev.scout.cli.client.JsonValues;
import dev.scout.cli.quick.QuickMain;
import dev.scout.cli.quick.QuickViews;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static dev.scout.cli.CliTestSupport.failedWith;
import static dev.scout.cli.CliTestSupport.on;
import static dev.scout.cli.CliTestSupport.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quick path (no picocli, no Jackson) prints what the full command line prints through the same
 * daemon, byte for byte, errors included; and leaves everything else to the full command line.
 */
class QuickPathTest {
    static LiveDaemons d;

    @BeforeAll
    static void daemons() throws Exception {
        d = LiveDaemons.get();
    }

    /** The quick path's run of {@code args}, or null when it left them to the full command line. */
    private static CliTestSupport.Run quick(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        OptionalInt exit = QuickMain.tryRun(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
        return exit.isEmpty() ? null : new CliTestSupport.Run(exit.getAsInt(), out.toString(), err.toString());
    }

    private static CliTestSupport.Run quick(String... args) {
        return quick(Map.of(), args);
    }

    @Test
    void printsWhatTheFullCommandPrints() {
        for (List<String> command : List.of(List.of("id"), List.of("--json", "id"), List.of("contacts", "list"),
                List.of("contacts", "--json", "list"), List.of("contacts", "show", "bob"), List.of("--json", "contacts", "show", "bob"),
                List.of("contacts", "show", "nobody"), List.of("send", "nobody", "hi"),
                List.of("sync", "nobody"), List.of("--json", "sync", "bob", "nobody"), List.of("pipe", "nobody"),
                List.of("pipe", "nobody", "--device", "phone"), List.of("pipe", "--device=phone", "nobody"))) {
            String[] args = on(d.aliceDir, "127.0.0.1:9", command.toArray(String[]::new));
            CliTestSupport.Run full = CliTestSupport.run(args);
            CliTestSupport.Run quick = quick(args);
            assertThat(quick).as("the quick path takes " + command).isNotNull();
            assertThat(quick).as(String.join(" ", command)).isEqualTo(full);
        }
        assertThat(failedWith(1, quick(on(d.aliceDir, "127.0.0.1:9", "send", "nobody", "hi")))).isEqualTo("scout: unknown contact nobody");
    }

    @Test
    void statusAndSyncPrintWhatTheFullCommandPrintsForTheSameAnswer() throws Exception {
        for (String[] call : new String[][] {{"GET", "/v1/status", null}, {"POST", "/v1/sync", "{\"contacts\":[\"bob\"]}"}}) {
            String body = d.alice.call(call[0], call[1], call[2]).body();
            JsonNode j = Jackson.parse(body);
            Object q = JsonReader.parse(body);
            assertThat(JsonValues.asciiLine(q)).isEqualTo(Jackson.line(j));
            if (call[1].equals("/v1/status")) {
                assertThat(QuickViews.status(q)).isEqualTo(StatusCommand.human(j));
            } else {
                assertThat(JsonValues.asciiLine(q)).contains("\"devices\":[{"); // Bob's device, synced before
                assertThat(QuickViews.sync(((List<?>) ((Map<?, ?>) q).get("results")).get(0)))
                        .isEqualTo(SyncCommand.human(j.path("results").get(0)));
            }
        }
        // The daemon's recorded status (not running), and no status at all, print the same too.
        for (String body : List.of("{\"running\":false,\"updated_at\":null}", "{\"running\":false,\"updated_at\":\"2026-01-01T00:00:00Z\","
                + "\"routing_table_size\":null,\"nat\":null,\"reachability_v6\":\"x\",\"reachability\":\"reachable\"}", "{}",
                "{\"running\":true,\"port_mapping\":{\"protocol\":\"pcp\",\"external\":\"44.64.0.11:6881\",\"expires\":\"2026-01-01T02:00:00Z\"}}",
                "{\"running\":true,\"port_mapping\":{\"protocol\":\"upnp\",\"external\":\"44.64.0.11:6881\",\"expires\":null}}",
                "{\"running\":true,\"relay\":{\"serving\":true,\"limits\":\"modest\",\"clients\":3,\"announced\":true,"
                        + "\"via\":\"203.0.113.7:6881\",\"registered\":false,\"found\":\"pinned\",\"rtt_ms\":42,\"error\":\"relay 203.0.113.7:6881 refused (full)\"}}",
                "{\"running\":true,\"relay\":{\"serving\":false,\"via\":\"203.0.113.7:6881\",\"registered\":true,\"found\":\"dht\",\"rtt_ms\":null,\"error\":null}}")) {
            assertThat(QuickViews.status(JsonReader.parse(body))).isEqualTo(StatusCommand.human(Jackson.parse(body)));
        }
        assertThat(StatusCommand.human(Jackson.parse("{\"running\":true,\"relay\":{\"serving\":true,\"limits\":\"modest\","
                + "\"clients\":3,\"announced\":true,\"via\":\"203.0.113.7:6881\",\"registered\":false,\"found\":\"pinned\","
                + "\"rtt_ms\":42,\"error\":\"relay 203.0.113.7:6881 refused (full)\"}}")))
                .contains("\n  relay           relaying for others (modest limits, 3 clients, announced on the DHT); home 203.0.113.7:6881 "
                        + "(pinned, 42 ms, not registered yet); relay 203.0.113.7:6881 refused (full)\n");
    }

    @Test
    void aMessageSentOnTheQuickPathArrivesAsSent() throws Exception {
        String text = "quick " + System.nanoTime() + " \u00e9\u6f22\u5b57 \uD83D\uDE00 \"quoted\" \\ tab\tend";
        try (EventStream events = EventStream.open(d.bob)) {
            CliTestSupport.Run sent = succeeded(quick(on(d.aliceDir, "127.0.0.1:9", "send", "bob", text)));
            assertThat(sent.out()).matches("sent to bob \\(message [0-9a-f]{12}, stored on \\d+ nodes\\)\\R");
            JsonNode data = events.await(e -> e.type().equals("message") && e.data().get("text").asText().equals(text)).data();
            assertThat(data.get("contact").asText()).isEqualTo("alice");
        }
        String json = succeeded(quick(on(d.aliceDir, "127.0.0.1:9", "--json", "send", "bob", "second"))).out();
        assertThat(json).matches("[\\x20-\\x7e]+\\R").isEqualTo(Jackson.line(Jackson.parse(json)) + "\n");
        assertThat(Jackson.parse(json).path("message_id").asText()).matches("[0-9a-f]{40}");
    }

    @Test
    void leavesEverythingElseToTheFullCommandLine() throws Exception {
        String dir = d.aliceDir.toString();
        for (List<String> args : List.<List<String>>of(List.of(), List.of("--help"), List.of("-V"), List.of("status", "--help"),
                List.of("status", "extra"), List.of("contacts"), List.of("contacts", "add", "x", "y"), List.of("send", "bob"),
                List.of("send", "bob", "x".repeat(2000)), List.of("--port", "99999", "status"), List.of("status", "--port", "1"),
                List.of("--bootstrap", "host:xx", "status"), List.of("--bootstrap", "a:1,", "status"), List.of("--bootstrap", "::1:5", "status"),
                List.of("--json", "--json", "status"), List.of("--json=true", "status"), List.of("@args", "status"),
                List.of("send", "bob", "--", "-x"), List.of("send", "bob", "-x"), List.of("daemon"), List.of("stop"), List.of("pipe"),
                List.of("pipe", "bob", "extra"), List.of("pipe", "bob", "--device"), List.of("pipe", "bob", "--device="),
                List.of("--device", "x", "pipe", "bob"), List.of("pipe", "bob", "--device", "x", "--device", "y"),
                List.of("pipe", "bob", "--port", "1"), List.of("pipe", "--help"), List.of("pipe", "-x"),
                List.of("inbox"), List.of("inbox", "bob"))) { // inbox pages and marks read: the full command line
            List<String> all = new java.util.ArrayList<>(List.of("--state-dir", dir));
            all.addAll(args);
            assertThat(quick(all.toArray(String[]::new))).as(String.join(" ", args)).isNull();
        }
        assertThat(quick(Map.of("SCOUT_DEBUG", "1"), "--state-dir", dir, "status")).as("SCOUT_DEBUG").isNull();
        // The usual forms are taken.
        assertThat(quick("--state-dir=" + dir, "--bootstrap", "127.0.0.1:9,[::1]:6881,router.example:6881", "--port", "0",
                "sync", "--port", "6881", "bob")).isNotNull();
        assertThat(quick(Map.of("SCOUT_HOME", dir), "status")).isNotNull();
        // No daemon for this state directory (none, or a stale daemon.json): the command runs its own node.
        Path empty = Files.createTempDirectory("scout-quick");
        assertThat(quick("--state-dir", empty.toString(), "status")).isNull();
        Files.writeString(empty.resolve("daemon.json"), "{\"url\":\"http://127.0.0.1:9\",\"token\":\"t\",\"pid\":"
                + ProcessHandle.current().pid() + "}");
        assertThat(quick("--state-dir", empty.toString(), "status")).as("nobody answers").isNull();
        Files.writeString(empty.resolve("daemon.json"), "{\"url\":\"" + d.alice.file.url() + "\",\"token\":\""
                + d.alice.file.token() + "\",\"pid\":" + Long.MAX_VALUE + "}");
        assertThat(quick("--state-dir", empty.toString(), "status")).as("dead pid").isNull();
        Files.writeString(empty.resolve("daemon.json"), "{\"url\":\"" + d.alice.file.url() + "\",\"token\":\"wrong\",\"pid\":"
                + ProcessHandle.current().pid() + "}");
        assertThat(quick("--state-dir", empty.toString(), "status")).as("wrong token").isNull();
        Files.writeString(empty.resolve("daemon.json"), "{\"url\":");
        assertThat(quick("--state-dir", empty.toString(), "status")).as("torn file").isNull();
    }
}
