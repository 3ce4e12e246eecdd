package dev.scout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scout.natlab.NatLab;
import dev.scout.natlab.ScoutLab.Device;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static dev.scout.cli.ScoutLabFixture.json;
import static dev.scout.cli.ScoutLabFixture.parallel;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Relay first, then direct, through real Linux NAT (docs/sessions.md): Alice (h1) and Bob (h2) behind
 * port-restricted cone NATs, both reachable through Carol's public daemon ({@code --relay}; they name it
 * with {@code --relay-via} until relays are found on the DHT). Their first {@code scout pipe} is
 * signalled through Carol — no record is read for a connect intent — carries bytes through her at once,
 * moves to the punched direct path, and survives Carol being killed in mid-pipe.
 *
 * <p>Needs root, {@code ip}, {@code iptables} and {@code python3}, like {@link NatLabTest}: fails with the
 * reason, never skips. Its own lab; the namespaces are removed at the end and checked to be gone.
 */
@Timeout(240)
class NatLabRelayFirstTest {
    private static final int BYTES = 3 << 20;
    private static final String RELAY = NatLab.PUBLIC_HOST + ":6881";
    @RegisterExtension
    static final ScoutLabFixture LAB = ScoutLabFixture.of("relay-first", false, false);
    private static Device alice;
    private static Device bob;
    private static Device carol;

    @BeforeAll
    static void buildLabAndStartDaemons() throws Exception {
        alice = LAB.device("alice", "h1", 6881);
        bob = LAB.device("bob", "h2", 6881);
        carol = LAB.device("carol", "pub", 6881);
        List<Device> all = List.of(alice, bob, carol);
        parallel(all, Device::init);
        parallel(List.of(alice, bob), d -> d.addContact(d == alice ? bob : alice));
        parallel(all, d -> {
            if (d == carol) {
                d.startDaemon("--relay");
            } else {
                d.startDaemon("--relay-via", RELAY);
            }
        });
        parallel(List.of(alice, bob), d -> {
            d.awaitApi(h -> {
                JsonNode s = json(h);
                return "cone".equals(s.path("nat").asText()) && s.path("relay").path("registered").asBoolean()
                        && s.path("relay").path("published_to").asInt() == 1;
            }, "/v1/status", 90);
            Device other = d == alice ? bob : alice;
            d.awaitApi(h -> h.status() == 200 && h.body().contains(NatLab.INTERNET + "." + (other == alice ? 11 : 12) + ":6881"),
                    "/v1/contacts/" + other.name(), 60);
        });
        // Both published their relay entries; each daemon's next message poll (every second) stores the
        // other's, so the connect below reads no record.
        ScoutLabFixture.awaitTwoPolls(List.of(alice, bob));
    }

    /**
     * The first connect between the two (no kept-open path yet): the first byte reaches Bob's {@code scout
     * pipe} within 1.5 s of both pipes' start (JVM starts included), through Carol; the session then moves to
     * the direct path ({@code via} relay → direct); Carol's daemon is killed (SIGKILL) right after the first
     * byte, and the pipe completes with every byte.
     */
    @Test
    void coneToConeFirstByteThroughTheRelayWithinOneAndAHalfSecondsAndKillingTheRelayLosesNoByte() throws Exception {
        ScoutLabFixture.Transfer pipes = LAB.startPipes(alice, bob, BYTES, 20);
        long firstByteMillis = pipes.awaitFirstByte(20);
        carol.daemon().process().destroyForcibly(); // the relay dies in mid-pipe
        long[] asked = pipes.askedAt();
        long aliceAsked = asked[0];
        long bobAsked = asked[1];
        long afterBothAsked = firstByteMillis - Math.max(aliceAsked, bobAsked);
        System.out.println("relay first: first byte at bob " + firstByteMillis + " ms after both pipes started; the pipes'"
                + " POST /v1/sessions started at " + aliceAsked + " ms (alice) and " + bobAsked + " ms (bob) (JVM start and"
                + " command set-up before that); first byte " + afterBothAsked + " ms after both had asked");
        List<String> lines = pipes.finish();
        System.out.println("relay first: " + lines + log(alice) + log(bob));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("via relay").contains("at relay " + RELAY));
        assertThat(lines).noneMatch(l -> l.contains("via intent"));
        // The move to the direct path is announced: the daemon logs the session_path event it publishes, with
        // the session's `via` as GET /v1/sessions shows it (the pipes delete their sessions when done).
        for (Device d : List.of(alice, bob)) {
            assertThat(d.daemon().transcript()).as(d.name() + "'s daemon" + log(d))
                    .anyMatch(l -> l.contains(" now via direct"));
            assertThat(d.daemon().transcript()).as(d.name() + "'s daemon").noneMatch(l -> l.contains("connect intent"));
        }
        assertThat(aliceAsked).as("alice's session line").isNotNegative();
        assertThat(bobAsked).as("bob's session line").isNotNegative();
        assertThat(afterBothAsked).as("first byte after both pipes asked their daemons, cone to cone, first connect")
                .isLessThanOrEqualTo(1_500);
    }

    private static String log(Device d) {
        return ScoutLabFixture.daemonLog(d, 80);
    }
}
