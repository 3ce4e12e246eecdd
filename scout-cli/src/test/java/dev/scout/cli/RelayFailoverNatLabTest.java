package dev.scout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scout.natlab.NatLab;
import dev.scout.natlab.Proc;
import dev.scout.natlab.ScoutLab.Device;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.scout.cli.ScoutLabFixture.json;
import static dev.scout.cli.ScoutLabFixture.parallel;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A relay killed in mid-pipe when no direct path can work, through real Linux NAT (docs/sessions.md,
 * "Another relay"): Alice (h1) and Bob (h2) behind symmetric NATs with home routers' firewalls, Ray and
 * Rex two public daemons on the public host that relay by default; every daemon runs with default
 * options (nothing pinned). Each home daemon finds both relays on the DHT, registers at one as its home
 * and at the other as its standby, and publishes both. Their {@code scout pipe} runs through a relay;
 * that relay's daemon is killed (SIGKILL) with part of the stream delivered: the same session continues
 * through the other relay, the pipe completes with every byte, and both daemons make the survivor their
 * home relay.
 *
 * <p>Needs root, {@code ip}, {@code iptables} and {@code python3}, like {@link NatLabTest}: fails with the
 * reason, never skips. Its own lab; the namespaces are removed at the end and checked to be gone.
 */
@Timeout(300)
class RelayFailoverNatLabTest {
    private static final int BYTES = 3 << 20;
    @RegisterExtension
    static final ScoutLabFixture LAB = ScoutLabFixture.of("relay-failover", lab -> {
        lab.firewall(1);
        lab.firewall(2);
    }, true, true);
    private static Device alice;
    private static Device bob;
    private static Device ray;
    private static Device rex;

    @BeforeAll
    static void buildLabAndStartDaemons() throws Exception {
        alice = LAB.device("alice", "h1", 6881);
        bob = LAB.device("bob", "h2", 6881);
        ray = LAB.device("ray", "pub", 6885);
        rex = LAB.device("rex", "pub", 6886);
        List<Device> all = List.of(alice, bob, ray, rex);
        parallel(all, Device::init);
        parallel(List.of(alice, bob), d -> d.addContact(d == alice ? bob : alice));
        parallel(List.of(ray, rex), d -> {
            d.startDaemon(); // public: relays by default
            d.awaitApi(h -> json(h).path("relay").path("serving").asBoolean() && json(h).path("relay").path("announced").asBoolean(),
                    "/v1/status", 90);
        });
        parallel(List.of(alice, bob), d -> {
            d.startDaemon();
            d.awaitApi(h -> {
                JsonNode s = json(h);
                JsonNode r = s.path("relay");
                return "symmetric".equals(s.path("nat").asText()) && r.path("registered").asBoolean()
                        && r.path("published_to").asInt() == 1 && r.hasNonNull("standby");
            }, "/v1/status", 150);
        });
        // Both published their two relays; each daemon's next message poll (every second) stores the
        // other's entries, so the connect reads no record.
        ScoutLabFixture.awaitTwoPolls(List.of(alice, bob));
    }

    @Test
    void symmetricToSymmetricPipeOutlivesItsRelayThroughTheStandbyWithEveryByte() throws Exception {
        for (Device d : List.of(alice, bob)) {
            JsonNode r = json(d.api("GET", "/v1/status", null)).path("relay");
            System.out.println("relay failover lab: " + d.name() + " home " + r.path("via").asText() + ", standby "
                    + r.path("standby").asText());
        }
        Path file = LAB.randomFile("failover", BYTES, 22);
        Path copy = LAB.work().resolve("failover-copy");
        Proc send = alice.pipe("bob", file, LAB.work().resolve("failover-back"));
        Proc receive = bob.pipe("alice", Path.of("/dev/null"), copy);
        // A quarter through: at the relays' modest 512 KiB/s per client the rest needs seconds more
        awaitBytes(copy, BYTES / 4, 60, send, receive);
        JsonNode session = onlySession(alice);
        assertThat(session.path("via").asText()).as("symmetric to symmetric runs through a relay: " + session).isEqualTo("relay");
        String first = session.path("relay").asText();
        Device dying = first.endsWith(":6885") ? ray : rex;
        Device survivor = dying == ray ? rex : ray;
        String other = NatLab.PUBLIC_HOST + (survivor == ray ? ":6885" : ":6886");
        long atKill = Files.size(copy);
        assertThat(atKill).as("the kill lands mid-pipe").isLessThan(BYTES);
        long t0 = System.nanoTime();
        dying.daemon().process().destroyForcibly(); // the relay the session runs through dies in mid-pipe
        // The same session moves to the other relay (GET /v1/sessions, or the session_path log line should
        // the pipe be done before a poll sees it).
        String id = session.path("id").asText();
        long deadline = t0 + 30_000_000_000L;
        while (!(movedTo(alice, id, other) && movedTo(bob, null, other)) && System.nanoTime() < deadline) {
            Thread.sleep(50); // polling two daemons: a condition wait
        }
        long movedMillis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(movedTo(alice, id, other) && movedTo(bob, null, other)).as("both daemons' session moved to the other relay "
                + other + " within 30 s of the kill" + log(alice) + log(bob)).isTrue();
        assertThat(send.awaitExit(90)).as("alice's pipe: %s%s", send.transcript(), log(alice)).isZero();
        assertThat(receive.awaitExit(60)).as("bob's pipe: %s%s", receive.transcript(), log(bob)).isZero();
        long doneMillis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(Files.readAllBytes(copy)).as("the copy has every byte").isEqualTo(Files.readAllBytes(file));
        for (Device d : List.of(alice, bob)) {
            assertThat(d.daemon().transcript()).as(d.name() + ": one session, never a second").noneMatch(l -> l.contains("via intent"));
        }
        // The dead home or standby relay is left for the survivor.
        for (Device d : List.of(alice, bob)) {
            d.awaitApi(h -> other.equals(json(h).path("relay").path("via").asText()) && json(h).path("relay").path("registered").asBoolean(),
                    "/v1/status", 40);
        }
        System.out.printf("relay failover lab: relay %s killed with %d of %d bytes at Bob; both sessions on %s %d ms later; "
                        + "pipes done %d ms after the kill; both homes on the survivor %d ms after it%n", first, atKill, BYTES,
                other, movedMillis, doneMillis, (System.nanoTime() - t0) / 1_000_000);
    }

    /** Whether {@code d}'s session ({@code id}, or its only one) runs through {@code relay}, or its log says it moved there. */
    private static boolean movedTo(Device d, String id, String relay) {
        for (JsonNode s : json(d.api("GET", "/v1/sessions", null)).path("sessions")) {
            if ((id == null || id.equals(s.path("id").asText())) && relay.equals(s.path("relay").asText())) {
                return true;
            }
        }
        return d.daemon().transcript().stream().anyMatch(l -> l.contains(" now via relay " + relay + " ("));
    }

    private static JsonNode onlySession(Device d) {
        JsonNode sessions = json(d.api("GET", "/v1/sessions", null)).path("sessions");
        assertThat(sessions.size()).as(d.name() + "'s sessions: " + sessions).isEqualTo(1);
        return sessions.get(0);
    }

    private static void awaitBytes(Path copy, long bytes, long seconds, Proc send, Proc receive) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!Files.exists(copy) || Files.size(copy) < bytes) {
            assertThat(System.nanoTime()).as("%d bytes within %d s: %s / %s%s%s", bytes, seconds, send.transcript(),
                    receive.transcript(), log(alice), log(bob)).isLessThan(deadline);
            Thread.sleep(5); // polling the copy's size: a condition wait
        }
    }

    private static String log(Device d) {
        return ScoutLabFixture.daemonLog(d, 60);
    }
}
