package dev.scout.cli;

import dev.scout.cli.common.DaemonFile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scout.cli.api.Jackson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

import static dev.scout.cli.CliTestSupport.failedWith;
import static dev.scout.cli.CliTestSupport.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

/** The daemon as the one owner: daemon.json, the token, commands going through it, its event stream. */
@Timeout(300)
class DaemonApiTest {
    static LiveDaemons d;

    @BeforeAll
    static void daemons() throws Exception {
        d = LiveDaemons.get();
    }

    @Test
    void daemonJsonIsPrivateAndPointsAtLoopback() throws Exception {
        var file = DaemonFile.path(d.aliceDir);
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        JsonNode json = Jackson.parse(Files.readString(file));
        assertThat(json.get("url").asText()).startsWith("http://127.0.0.1:");
        assertThat(json.get("token").asText()).matches("[0-9a-f]{64}"); // 256 bits
        assertThat(json.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void theTokenIsRequired() throws Exception {
        for (String auth : new String[] {null, "Bearer ", "Bearer " + "0".repeat(64), "Basic xyz",
                "Bearer " + d.alice.file.token() + "x", d.alice.file.token()}) {
            HttpResponse<String> r = d.alice.call("GET", "/v1/health", null, auth);
            assertThat(r.statusCode()).as(String.valueOf(auth)).isEqualTo(401);
            assertThat(Jackson.parse(r.body()).get("error").asText()).contains("token");
        }
        assertThat(d.alice.expect(200, "GET", "/v1/health", null).get("status").asText()).isEqualTo("ok");
    }

    @Test
    void aSecondDaemonForTheSameDirectoryRefusesWithOneLine() {
        String line = failedWith(1, CliTestSupport.run("--state-dir", d.aliceDir.toString(), "--bootstrap", d.entry,
                "daemon"));
        assertThat(line).contains("a daemon is already running for").contains("scout stop");
    }

    @Test
    void commandsGoThroughTheDaemonWithoutJoiningTheDht() {
        // The bootstrap address answers nothing: a command that started its own node would fail.
        assertThat(succeeded(d.aliceCli("id")).out().strip()).isEqualTo(d.aliceKey);
        assertThat(succeeded(d.aliceCli("--json", "contacts", "list")).json()).containsEntry("name", "bob");
        var sync = succeeded(d.aliceCli("--json", "sync", "bob")).json();
        assertThat(sync).containsEntry("contact", "bob").containsKey("devices");
        var status = succeeded(d.aliceCli("--json", "status")).json();
        assertThat(status).containsEntry("running", true);
        assertThat(failedWith(1, d.aliceCli("send", "nobody", "hi"))).contains("nobody");
        assertThat(failedWith(1, d.aliceCli("init", "--force"))).contains("scout stop");
    }

    @Test
    void aMessageSentThroughOneDaemonArrivesOnTheOthersEventStream() throws Exception {
        try (EventStream events = EventStream.open(d.bob)) {
            String text = "event stream test " + System.nanoTime();
            succeeded(d.aliceCli("send", "bob", text));
            JsonNode data = events.await(e -> e.type().equals("message") && e.data().get("text").asText().equals(text)).data();
            assertThat(data.get("contact").asText()).isEqualTo("alice");
            assertThat(data.get("message_id").asText()).matches("[0-9a-f]{40}");
        }
    }

    @Test
    void contactDetailsAndReadMarksThroughTheApi() throws Exception {
        JsonNode bob = d.alice.expect(200, "GET", "/v1/contacts/bob", null);
        assertThat(bob.get("record_target").asText()).matches("[0-9a-f]{40}");
        JsonNode marks = d.alice.expect(200, "GET", "/v1/contacts/BOB/read-marks", null);
        assertThat(marks.get("contact").asText()).isEqualTo("bob");
        assertThat(marks.get("read_marks").isArray()).isTrue();
        assertThat(Set.of(d.alice.expect(404, "GET", "/v1/contacts/carol", null).get("error").asText()))
                .allSatisfy(e -> assertThat(e).contains("carol"));
    }

    @Test
    void aQueryFromAStrangerShowsTheDaemonIsReachable() throws Exception {
        String node = d.alice.expect(200, "GET", "/v1/status", null).get("local_address").asText();
        // A node Alice's daemon never contacted pings it: traffic no NAT mapping of hers let in.
        succeeded(CliTestSupport.run("--state-dir", d.aliceDir.resolveSibling("stranger").toString(), "dht", "ping", node));
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        JsonNode status = d.alice.expect(200, "GET", "/v1/status", null);
        while (!status.get("reachability").asText().equals("reachable") && System.nanoTime() < deadline) {
            Thread.sleep(100); // the daemon looks at each poll (every second here)
            status = d.alice.expect(200, "GET", "/v1/status", null);
        }
        assertThat(status.get("reachability").asText()).as(status.toString()).isEqualTo("reachable");
        assertThat(status.get("nat").asText()).as(status.toString()).isEqualTo("none");
        assertThat(succeeded(d.aliceCli("status")).out()).contains("reachability    reachable").contains("NAT             none");
    }

    @Test
    void dhtCommandsGoThroughTheDaemon() {
        var put = succeeded(d.aliceCli("--json", "dht", "put", "via the daemon")).json();
        String target = (String) put.get("target");
        assertThat((Long) put.get("stored")).isPositive();
        assertThat(succeeded(d.aliceCli("dht", "get", target)).out().strip()).isEqualTo("via the daemon");
        String seed = "11".repeat(32);
        var mutable = succeeded(d.aliceCli("--json", "dht", "put", "--mutable", "--seed", seed, "--salt", "s", "v1")).json();
        assertThat(mutable).containsEntry("seq", 1L);
        var got = succeeded(d.aliceCli("--json", "dht", "get", "--key", (String) mutable.get("public_key"), "--salt", "s")).json();
        assertThat(got).containsEntry("value", "v1").containsEntry("seq", 1L);
        assertThat(failedWith(1, d.aliceCli("dht", "put", "--mutable", "--seed", seed, "--salt", "s", "--cas", "0", "v2")))
                .contains("put rejected");
        assertThat(succeeded(d.aliceCli("--json", "dht", "find-node", "00".repeat(20))).json().get("nodes")).asList().isNotEmpty();
        assertThat(succeeded(d.aliceCli("dht", "ping", d.entry)).out().strip()).matches("[0-9a-f]{40}");
        String hash = "ab".repeat(20);
        succeeded(d.aliceCli("dht", "announce", hash, "--port", "4321"));
        assertThat(succeeded(d.aliceCli("--json", "dht", "peers", hash)).json().get("peers")).asList()
                .anySatisfy(p -> assertThat((String) p).endsWith(":4321"));
    }
}
