package dev.scout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scout.natlab.NatLab;
import dev.scout.natlab.Proc;
import dev.scout.natlab.ScoutLab.Device;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.scout.cli.ScoutLabFixture.json;
import static dev.scout.cli.ScoutLabFixture.parallel;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/spec.md §7 through real Linux NAT, with the product's own processes: every device is a
 * {@code scout daemon} in a network namespace with its own state directory, identity from {@code scout
 * init} and contacts from {@code scout contacts add}, bootstrapping to a public DHT of our own
 * ({@link dev.scout.natlab.PublicDht}: 8 nodes, each on its own public address); people run {@code scout pipe NAME}. The lab ({@link NatLab}): Alice (h1) and Bob (h2)
 * behind port-restricted cone NATs, Dave (h3) and Erin (h4) behind symmetric NATs ({@code MASQUERADE
 * --random-fully}), Carol, Frank and later Mallory on the public host. Nothing is told to the daemons:
 * they learn their NAT from the DHT's votes and find each other through the pair's record.
 *
 * <p>Needs root, {@code ip}, {@code iptables} and {@code python3} (CI runs as root): without them it
 * fails with the reason, never skips. The namespaces are removed at the end and checked to be gone.
 */
@Timeout(240)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the first-connect timing first, on the fresh lab
class NatLabTest {
    private static final int FIVE_MB = 5 << 20;
    /** Issue 20's target: cone to cone, first connect, the first byte within this of both pipes' start. */
    private static final long FIRST_BYTE_MILLIS = 1_500;
    @RegisterExtension
    static final ScoutLabFixture LAB = ScoutLabFixture.of("all", false, false, true, true);
    private static Device alice;
    private static Device bob;
    private static Device carol;
    private static Device dave;
    private static Device erin;
    private static Device frank;
    /** On Frank's address once he left (the man-in-the-middle test); null before. */
    private static Device mallory;

    @BeforeAll
    static void buildLabAndStartDaemons() throws Exception {
        alice = LAB.device("alice", "h1", 6881);
        bob = LAB.device("bob", "h2", 6881);
        dave = LAB.device("dave", "h3", 6881);
        erin = LAB.device("erin", "h4", 6881);
        carol = LAB.device("carol", "pub", 6881);
        frank = LAB.device("frank", "pub", 6883);
        List<Device> all = List.of(alice, bob, carol, dave, erin, frank);
        parallel(all, Device::init);
        parallel(all, d -> {
            if (d == alice) {
                d.addContact(bob);
                d.addContact(carol);
                d.addContact(frank);
            } else if (d == dave || d == erin) {
                d.addContact(d == dave ? erin : dave);
            } else {
                d.addContact(alice);
            }
        });
        parallel(all, d -> {
            if (d == dave || d == erin) {
                d.startDaemon("--no-relay"); // no relay at all: the clear failure
            } else {
                d.startDaemon(); // Carol and Frank, public, relay by default
            }
        });
        // Each daemon judges its own NAT from the DHT's votes (no hint from the test) ...
        parallel(all, d -> {
            String nat = d == dave || d == erin ? "symmetric" : d.ns().equals("pub") ? "none" : "cone";
            d.awaitApi(h -> nat.equals(json(h).path("nat").asText()), "/v1/status", 60);
        });
        // ... and publishes its addresses in each pair's record, where its contacts' daemons read them.
        parallel(all, d -> {
            if (d == alice) {
                awaitDevice(alice, "bob", NatLab.INTERNET + ".12:6881");
                awaitDevice(alice, "carol", NatLab.PUBLIC_HOST + ":6881");
                awaitDevice(alice, "frank", NatLab.PUBLIC_HOST + ":6883");
            } else if (d == bob || d == carol || d == frank) {
                awaitDevice(d, "alice", NatLab.INTERNET + ".11:6881");
            } else {
                awaitDevice(d, d == dave ? "erin" : "dave", ":6881");
            }
        });
    }

    /**
     * Alice's and Bob's first connect (no kept-open path yet), both behind cone NATs with the home relay
     * their daemons found on the DHT, 80 ms per hop: the two {@code scout pipe}s start together, as two
     * people start them, and the first byte reaches Bob's within {@value #FIRST_BYTE_MILLIS} ms of the
     * start of the two pipe processes (their JVMs' start included); then all 5 MB, intact.
     */
    @Test
    @Order(1)
    void coneToConeFirstByteWithinOneAndAHalfSecondsOfThePipesStartAndFiveMegabytesIntact() throws Exception {
        // Both daemons are registered at their home relays and have told their contacts (a relay may have
        // been stopped by another test: Frank leaves in the man-in-the-middle test).
        for (Device d : List.of(alice, bob)) {
            int contacts = json(d.api("GET", "/v1/contacts", null)).path("contacts").size();
            d.awaitApi(h -> {
                JsonNode r = json(h).path("relay");
                return r.path("registered").asBoolean() && r.path("published_to").asInt() == contacts;
            }, "/v1/status", 90);
        }
        // The lab's daemons read their contacts' records every second (ScoutLab: --poll-interval 1, so that the
        // set-up goes fast), several times what a person's daemon does (900 s by default; pokes bring news):
        // on two shared cores that is CPU the pipes' JVMs wait for. Every daemon polls at the default while
        // the two pipes start, and every second again after.
        List<Device> running = runningDaemons();
        setPollInterval(running, 900);
        ScoutLabFixture.Transfer first;
        long firstByte;
        String load = Files.readString(Path.of("/proc/loadavg")).strip();
        try {
            first = LAB.startPipes(alice, bob, FIVE_MB, 1);
            firstByte = first.awaitFirstByte(20);
        } finally {
            setPollInterval(running, 1);
        }
        long[] asked = first.askedAt();
        List<String> lines = first.finish();
        String timeline = "first byte at bob " + firstByte + " ms after both pipes started; their POST /v1/sessions started at "
                + asked[0] + " ms (alice) and " + asked[1] + " ms (bob), the first byte " + (firstByte - Math.max(asked[0], asked[1]))
                + " ms after both had asked; load average before: " + load + "; " + lines;
        System.out.println("cone to cone, first connect: " + timeline);
        assertThat(String.join("\n", lines)).contains("session with").contains(NatLab.INTERNET + ".1");
        assertThat(firstByte).as("first byte from the start of both pipes, cone to cone, first connect, 80 ms per hop: %s",
                timeline).isLessThanOrEqualTo(FIRST_BYTE_MILLIS);
        // That session left a kept-open path (docs/sessions.md): the next pipe needs no record round,
        // just one round trip through the 80 ms Internet.
        String again = String.join("\n", LAB.pipe(alice, bob, 200_000, 5));
        java.util.regex.Matcher viaPath = java.util.regex.Pattern.compile("\\((\\d+) ms to connect, via path\\)").matcher(again);
        assertThat(viaPath.find()).as("second pipe: %s", again).isTrue();
        assertThat(Long.parseLong(viaPath.group(1))).as("second pipe: %s", again).isLessThan(1_000);
    }

    /** Every device of this lab whose daemon is running. */
    private static List<Device> runningDaemons() {
        List<Device> out = new ArrayList<>();
        for (Device d : new Device[] {alice, bob, carol, dave, erin, frank, mallory}) {
            if (d != null && d.daemon() != null && d.daemon().process().isAlive()) {
                out.add(d);
            }
        }
        if (relayedPair != null) {
            out.addAll(relayedPair);
        }
        return out;
    }

    private static void setPollInterval(List<Device> devices, int seconds) throws Exception {
        parallel(devices, d -> assertThat(d.api("PATCH", "/v1/settings", "{\"poll_interval_seconds\": " + seconds + "}").status())
                .as(d.name()).isEqualTo(200));
    }

    @Test
    void publicToConePipesFiveMegabytesIntact() throws Exception {
        LAB.pipe(carol, alice, FIVE_MB, 2);
    }

    @Test
    void symmetricToSymmetricFailsWithOneClearLineWithinFifteenSeconds() throws Exception {
        Path file = LAB.randomFile("symmetric", 100_000, 3);
        long t0 = System.nanoTime();
        Proc d = dave.pipe("erin", file, LAB.work().resolve("symmetric-d"));
        Proc e = erin.pipe("dave", Path.of("/dev/null"), LAB.work().resolve("symmetric-e"));
        for (Proc p : List.of(d, e)) {
            int exit = p.awaitExit(30);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(exit).as(p.name() + ": " + p.transcript()).isNotZero();
            System.out.println(p.name() + " after " + ms + " ms: " + p.transcript());
            assertThat(ms).as(p.name() + " ended after %d ms: %s", ms, p.transcript()).isLessThan(15_000);
            assertThat(p.transcript()).as(p.name()).singleElement().satisfies(line -> assertThat(line)
                    .startsWith("scout: ").contains("no direct path").contains("ours symmetric NAT")
                    .doesNotContain("\tat ").doesNotContainPattern("[A-Za-z]+(Exception|Error)\\b"));
        }
        assertThat(Files.size(LAB.work().resolve("symmetric-e"))).isZero();
    }

    /** Grace (h3) and Heidi (h4), behind symmetric NATs, default options; Grace also a contact of Alice's. */
    private static List<Device> relayedPair;

    /**
     * Grace and Heidi started with default options (no {@code --relay-via}), once each found a home relay
     * on the DHT, registered and told its contacts (docs/sessions.md, "Finding a home relay").
     */
    private static synchronized List<Device> relayedPair() throws Exception {
        if (relayedPair != null) {
            return relayedPair;
        }
        long t0 = System.nanoTime();
        Device grace = LAB.device("grace", "h3", 6882);
        Device heidi = LAB.device("heidi", "h4", 6882);
        List<Device> pair = List.of(grace, heidi);
        parallel(pair, Device::init);
        parallel(pair, d -> d.addContact(d == grace ? heidi : grace));
        grace.addContact(alice);
        alice.api("POST", "/v1/contacts", "{\"name\": \"grace\", \"public_key\": \"" + grace.key() + "\"}");
        parallel(pair, d -> d.startDaemon());
        parallel(pair, d -> d.awaitApi(h -> {
            JsonNode s = json(h);
            return "symmetric".equals(s.path("nat").asText()) && s.path("relay").path("registered").asBoolean()
                    && "dht".equals(s.path("relay").path("found").asText())
                    && s.path("relay").path("published_to").asInt() == (d == grace ? 2 : 1);
        }, "/v1/status", 120));
        alice.awaitApi(h -> "dht".equals(json(h).path("relay").path("found").asText())
                && json(h).path("relay").path("registered").asBoolean(), "/v1/status", 60);
        System.out.println("relay lab: two more daemons found a home relay, registered and published in "
                + (System.nanoTime() - t0) / 1_000_000 + " ms; grace: " + json(grace.api("GET", "/v1/status", null)).path("relay"));
        relayedPair = pair;
        return pair;
    }

    /**
     * Relaying with nothing configured (docs/sessions.md): Grace (h3) and Heidi (h4), both behind
     * symmetric NATs, run their daemons with default options, as do Carol and Frank on the public host,
     * who find themselves publicly reachable, relay within the modest limits and announce themselves on
     * the DHT. Grace and Heidi find them there, register from their DHT sockets (their NATs open the
     * mapping because they send first) and tell each other relay and tag in the pair's record; both
     * `scout pipe`s go to the relay at once, and the Noise session runs end to end through it.
     */
    @Test
    void symmetricToSymmetricThroughAnAutomaticallyFoundRelayPipesFiveMegabytesIntact() throws Exception {
        List<Device> pair = relayedPair();
        relayedFiveMegabytes(pair.get(0), pair.get(1), 5);
    }

    /** Cone (Alice) to symmetric (Grace): through a relay found on the DHT, nothing configured. */
    @Test
    void coneToSymmetricThroughAnAutomaticallyFoundRelayPipesFiveMegabytesIntact() throws Exception {
        Device grace = relayedPair().get(0);
        relayedFiveMegabytes(alice, grace, 6);
    }

    /** 5 MB from {@code from} to {@code to} via a relay on the public host, which forwarded them and holds no session. */
    private static void relayedFiveMegabytes(Device from, Device to, long seed) throws Exception {
        Map<Device, Long> before = forwardedByPublicDaemons();
        // A home relay may have been stopped by another test (Frank leaves in the man-in-the-middle test):
        // both sides are registered (confirmed within 25 s: the relay answers) and have told their
        // contacts, before the pipes start.
        for (Device d : List.of(from, to)) {
            int contacts = d == alice ? 4 : d.name().equals("grace") ? 2 : 1;
            d.awaitApi(h -> {
                JsonNode r = json(h).path("relay");
                return r.path("registered").asBoolean() && r.path("published_to").asInt() == contacts;
            }, "/v1/status", 90);
        }
        long p0 = System.nanoTime();
        List<String> lines = LAB.pipe(from, to, FIVE_MB, seed);
        System.out.println("relay lab: 5 MB pipe " + from.name() + " -> " + to.name() + ", both commands started to both exited: "
                + (System.nanoTime() - p0) / 1_000_000 + " ms; " + lines);
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("via relay").contains("at relay " + NatLab.PUBLIC_HOST + ":"));
        assertThat(lines).noneMatch(l -> l.contains("via intent") || l.contains("via direct"));
        Map<Device, Long> after = forwardedByPublicDaemons();
        Device relay = after.keySet().stream().filter(d -> after.get(d) - before.getOrDefault(d, 0L) > FIVE_MB).findFirst()
                .orElseThrow(() -> new AssertionError("no public daemon forwarded 5 MB: before " + before + ", after " + after));
        JsonNode status = json(relay.api("GET", "/v1/status", null)).path("relay");
        assertThat(status.path("serving").asBoolean()).isTrue();
        assertThat(status.path("limits").asText()).isEqualTo("modest");
        // The relay relays but holds no session of its own with either side.
        assertThat(json(relay.api("GET", "/v1/sessions", null)).path("sessions").toString()).doesNotContain(from.name())
                .doesNotContain(to.name());
    }

    /** Bytes forwarded so far by each public daemon that is running. */
    private static Map<Device, Long> forwardedByPublicDaemons() {
        Map<Device, Long> out = new java.util.HashMap<>();
        List<Device> publicDaemons = new ArrayList<>(List.of(carol, frank));
        if (mallory != null) {
            publicDaemons.add(mallory); // on Frank's address once he left: a relay there too
        }
        for (Device d : publicDaemons) {
            try {
                out.put(d, json(d.api("GET", "/v1/status", null)).path("relay").path("forwarded_bytes").asLong());
            } catch (AssertionError e) {
                // stopped (the man-in-the-middle test stops Frank)
            }
        }
        return out;
    }

    /**
     * Frank published his address in his record with Alice, then left; Mallory's daemon now answers at
     * that address and has Alice as a contact (her key is public). Alice's initiation is encrypted to
     * Frank's key, so Mallory can neither read nor answer it; Mallory's own attempt towards Alice finds
     * a daemon that accepts only its contacts. Neither side gets a session.
     */
    @Test
    void aManInTheMiddleAtAContactsAddressGetsNothing() throws Exception {
        frank.stopDaemon();
        mallory = LAB.device("mallory", "pub", 6883);
        mallory.init();
        mallory.addContact(alice);
        mallory.startDaemon();
        Path secret = LAB.randomFile("secret", 50_000, 4);
        Proc a = alice.pipe("frank", secret, LAB.work().resolve("mitm-a"));
        Proc m = mallory.pipe("alice", Path.of("/dev/null"), LAB.work().resolve("mitm-m"));
        assertThat(a.awaitExit(30)).as("alice's pipe: %s", a.transcript()).isNotZero();
        assertThat(a.transcript()).singleElement().satisfies(line -> assertThat(line).startsWith("scout: ")
                .contains("no direct path"));
        assertThat(m.awaitExit(30)).as("mallory's pipe: %s", m.transcript()).isNotZero();
        System.out.println("alice: " + a.transcript() + "\nmallory: " + m.transcript());
        assertThat(Files.size(LAB.work().resolve("mitm-m"))).isZero();
        assertThat(json(mallory.api("GET", "/v1/sessions", null)).path("sessions")).as("Mallory's sessions").isEmpty();
        assertThat(mallory.daemon().transcript()).noneMatch(l -> l.contains("incoming"));
        assertThat(json(alice.api("GET", "/v1/sessions", null)).path("sessions").toString()).doesNotContain("mallory");
    }

    private static void awaitDevice(Device d, String contact, String address) {
        d.awaitApi(h -> h.status() == 200 && h.body().contains(address), "/v1/contacts/" + contact, 60);
    }
}
