package dev.scout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scout.cli.api.Jackson;
import dev.scout.natlab.NatLab;
import dev.scout.natlab.Proc;
import dev.scout.natlab.ScoutLab;
import dev.scout.natlab.ScoutLab.Device;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

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
    private static NatLab lab;
    private static Path work;
    private static Device alice;
    private static Device bob;
    private static Device carol;

    @BeforeAll
    static void buildLabAndStartDaemons() throws Exception {
        NatLab.requireCapabilities();
        lab = new NatLab();
        lab.build(false, false);
        work = Files.createTempDirectory("scout-natlab-relay-first-");
        ScoutLab scout = new ScoutLab(lab, System.getProperty("java.class.path"), work);
        scout.startPublicDht(8);
        alice = scout.device("alice", "h1", 6881);
        bob = scout.device("bob", "h2", 6881);
        carol = scout.device("carol", "pub", 6881);
        List<Device> all = List.of(alice, bob, carol);
        NatLabTest.parallel(all, Device::init);
        NatLabTest.parallel(List.of(alice, bob), d -> d.addContact(d == alice ? bob : alice));
        NatLabTest.parallel(all, d -> {
            if (d == carol) {
                d.startDaemon("--relay");
            } else {
                d.startDaemon("--relay-via", RELAY);
            }
        });
        NatLabTest.parallel(List.of(alice, bob), d -> {
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
        // other's, so the connect below reads no record. Two polls after now: it has.
        NatLabTest.parallel(List.of(alice, bob), d -> {
            for (int i = 0; i < 2; i++) {
                String before = json(d.api("GET", "/v1/status", null)).path("last_poll").asText();
                d.awaitApi(h -> !before.equals(json(h).path("last_poll").asText()), "/v1/status", 30);
            }
        });
    }

    @AfterAll
    static void removeLab() throws Exception {
        NatLabTest.removeLab(lab, work);
    }

    /**
     * The first connect between the two (no kept-open path yet): the first byte reaches Bob's {@code scout
     * pipe} within 1.5 s of both pipes' start (JVM starts included), through Carol; the session then moves to
     * the direct path ({@code via} relay → direct); Carol's daemon is killed (SIGKILL) right after the first
     * byte, and the pipe completes with every byte.
     */
    @Test
    void coneToConeFirstByteThroughTheRelayWithinOneAndAHalfSecondsAndKillingTheRelayLosesNoByte() throws Exception {
        Path file = work.resolve("relay-first.bin");
        byte[] b = new byte[BYTES];
        new Random(20).nextBytes(b);
        Files.write(file, b);
        Path copy = work.resolve("relay-first-copy");
        Files.deleteIfExists(copy);
        long t0 = System.nanoTime();
        Proc send = alice.pipe("bob", file, work.resolve("relay-first-back"));
        Proc receive = bob.pipe("alice", Path.of("/dev/null"), copy);
        long deadline = t0 + 20_000_000_000L;
        long[] sessionLine = {-1, -1}; // when each pipe printed its session line (its POST /v1/sessions returned)
        while (!Files.exists(copy) || Files.size(copy) == 0) {
            assertThat(System.nanoTime()).as("no byte arrived within 20 s: %s / %s", send.transcript(), receive.transcript())
                    .isLessThan(deadline);
            noteSessionLine(send, sessionLine, 0, t0);
            noteSessionLine(receive, sessionLine, 1, t0);
            Thread.sleep(2); // polling the copy's size: this measures, it waits for nothing
        }
        long firstByteMillis = (System.nanoTime() - t0) / 1_000_000;
        carol.daemon().process().destroyForcibly(); // the relay dies in mid-pipe
        // When each pipe's POST /v1/sessions started: its session line's time less the connect time it reports.
        long aliceAsked = sessionLine[0] < 0 ? -1 : sessionLine[0] - connectMillis(send);
        long bobAsked = sessionLine[1] < 0 ? -1 : sessionLine[1] - connectMillis(receive);
        long afterBothAsked = firstByteMillis - Math.max(aliceAsked, bobAsked);
        System.out.println("relay first: first byte at bob " + firstByteMillis + " ms after both pipes started; the pipes'"
                + " POST /v1/sessions started at " + aliceAsked + " ms (alice) and " + bobAsked + " ms (bob) (JVM start and"
                + " command set-up before that); first byte " + afterBothAsked + " ms after both had asked; session lines at "
                + sessionLine[0] + " / " + sessionLine[1] + " ms");
        try {
            assertThat(send.awaitExit(90)).as("alice's pipe: %s", send.transcript()).isZero();
            assertThat(receive.awaitExit(90)).as("bob's pipe: %s", receive.transcript()).isZero();
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nother pipe: " + receive.transcript() + log(alice) + log(bob), e);
        }
        assertThat(NatLabTest.sha256(copy)).as("every byte, intact").isEqualTo(NatLabTest.sha256(file));
        List<String> lines = new ArrayList<>(send.transcript());
        lines.addAll(receive.transcript());
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

    private static void noteSessionLine(Proc p, long[] at, int i, long t0) {
        if (at[i] < 0 && p.transcript().stream().anyMatch(l -> l.contains("ms to connect"))) {
            at[i] = (System.nanoTime() - t0) / 1_000_000;
        }
    }

    /** The connect time a pipe reported in its session line. */
    private static long connectMillis(Proc p) {
        for (String l : p.transcript()) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\((\\d+) ms to connect").matcher(l);
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
        }
        return 0;
    }

    private static String log(Device d) {
        List<String> lines = d.daemon().transcript().stream().filter(l -> !l.contains(" status: routing table ")).toList();
        return "\n--- " + d.name() + "'s daemon (last 80 lines but status) ---\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    }

    private static JsonNode json(ScoutLab.Http h) {
        return NatLabTest.json(h);
    }
}
