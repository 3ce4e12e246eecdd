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

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

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
class NatLabTest {
    private static final int FIVE_MB = 5 << 20;
    private static NatLab lab;
    private static Path work;
    private static Device alice;
    private static Device bob;
    private static Device carol;
    private static Device dave;
    private static Device erin;
    private static Device frank;
    /** On Frank's address once he left (the man-in-the-middle test); null before. */
    private static Device mallory;
    private static ScoutLab scout;

    @BeforeAll
    static void buildLabAndStartDaemons() throws Exception {
        NatLab.requireCapabilities();
        lab = new NatLab();
        lab.build(false, false, true, true);
        work = Files.createTempDirectory("scout-natlab-");
        scout = new ScoutLab(lab, System.getProperty("java.class.path"), work);
        scout.startPublicDht(8);
        alice = scout.device("alice", "h1", 6881);
        bob = scout.device("bob", "h2", 6881);
        dave = scout.device("dave", "h3", 6881);
        erin = scout.device("erin", "h4", 6881);
        carol = scout.device("carol", "pub", 6881);
        frank = scout.device("frank", "pub", 6883);
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
                d.startDaemon("--session-poll", "500", "--no-relay"); // no relay at all: the clear failure
            } else {
                d.startDaemon("--session-poll", "500"); // Carol and Frank, public, relay by default
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

    @AfterAll
    static void removeLab() throws Exception {
        removeLab(lab, work);
    }

    /** Closes {@code lab} (if built), checks no namespace is left, deletes {@code work} (if made). */
    static void removeLab(NatLab lab, Path work) throws Exception {
        if (lab != null) {
            lab.close();
            assertThat(lab.leftovers()).as("namespaces left behind").isEmpty();
        }
        if (work != null) {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void coneToConePipesFiveMegabytesIntact() throws Exception {
        List<String> lines = pipeFiveMegabytes(alice, bob, 1);
        // Both NATs were punched at their published ports, nothing relayed.
        assertThat(String.join("\n", lines)).contains("session with").contains(NatLab.INTERNET + ".1");
        // That session left a kept-open path (docs/sessions.md): the next pipe needs no record round,
        // just one round trip through the 80 ms Internet.
        String again = String.join("\n", pipe(alice, bob, 200_000, 5));
        java.util.regex.Matcher viaPath = java.util.regex.Pattern.compile("\\((\\d+) ms to connect, via path\\)").matcher(again);
        assertThat(viaPath.find()).as("second pipe: %s", again).isTrue();
        assertThat(Long.parseLong(viaPath.group(1))).as("second pipe: %s", again).isLessThan(1_000);
    }

    @Test
    void publicToConePipesFiveMegabytesIntact() throws Exception {
        pipeFiveMegabytes(carol, alice, 2);
    }

    /** {@code scout pipe TO < 5MB} at {@code from}, {@code scout pipe FROM > copy} at {@code to}; both stderr transcripts. */
    private static List<String> pipeFiveMegabytes(Device from, Device to, long seed) throws Exception {
        return pipe(from, to, FIVE_MB, seed);
    }

    /** {@code bytes} seeded random bytes from {@code from} to {@code to} through two {@code scout pipe}s, checked by SHA-256. */
    private static List<String> pipe(Device from, Device to, int bytes, long seed) throws Exception {
        String run = from.name() + "-" + to.name() + "-" + seed;
        Path file = randomFile(run, bytes, seed);
        Path copy = work.resolve(run + "-copy");
        Proc send = from.pipe(to.name(), file, work.resolve(run + "-back"));
        Proc receive = to.pipe(from.name(), Path.of("/dev/null"), copy);
        try {
            assertThat(send.awaitExit(90)).as("%s's pipe: %s", from.name(), send.transcript()).isZero();
            assertThat(receive.awaitExit(90)).as("%s's pipe: %s", to.name(), receive.transcript()).isZero();
        } catch (AssertionError e) {
            // A pipe that never ends is a rendezvous race: keep what both daemons logged about it.
            throw new AssertionError(e.getMessage() + "\nother pipe: " + receive.transcript()
                    + daemonLog(from) + daemonLog(to), e);
        }
        assertThat(sha256(copy)).isEqualTo(sha256(file));
        List<String> lines = new ArrayList<>(send.transcript());
        lines.addAll(receive.transcript());
        return lines;
    }

    /** What {@code d}'s daemon logged about sessions (the per-poll status lines left out), for a failure message. */
    private static String daemonLog(Device d) {
        List<String> lines = d.daemon().transcript().stream().filter(l -> !l.contains(" status: routing table ")
                && !l.contains("malformed connect intent")).toList();
        return "\n--- " + d.name() + "'s daemon (last 120 lines but status) ---\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 120), lines.size()));
    }

    @Test
    void symmetricToSymmetricFailsWithOneClearLineWithinFifteenSeconds() throws Exception {
        Path file = randomFile("symmetric", 100_000, 3);
        long t0 = System.nanoTime();
        Proc d = dave.pipe("erin", file, work.resolve("symmetric-d"));
        Proc e = erin.pipe("dave", Path.of("/dev/null"), work.resolve("symmetric-e"));
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
        assertThat(Files.size(work.resolve("symmetric-e"))).isZero();
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
        Device grace = scout.device("grace", "h3", 6882);
        Device heidi = scout.device("heidi", "h4", 6882);
        List<Device> pair = List.of(grace, heidi);
        parallel(pair, Device::init);
        parallel(pair, d -> d.addContact(d == grace ? heidi : grace));
        grace.addContact(alice);
        alice.api("POST", "/v1/contacts", "{\"name\": \"grace\", \"public_key\": \"" + grace.key() + "\"}");
        parallel(pair, d -> d.startDaemon("--session-poll", "500"));
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
        List<String> lines = pipeFiveMegabytes(from, to, seed);
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
        mallory = scout.device("mallory", "pub", 6883);
        mallory.init();
        mallory.addContact(alice);
        mallory.startDaemon("--session-poll", "500");
        Path secret = randomFile("secret", 50_000, 4);
        Proc a = alice.pipe("frank", secret, work.resolve("mitm-a"));
        Proc m = mallory.pipe("alice", Path.of("/dev/null"), work.resolve("mitm-m"));
        assertThat(a.awaitExit(30)).as("alice's pipe: %s", a.transcript()).isNotZero();
        assertThat(a.transcript()).singleElement().satisfies(line -> assertThat(line).startsWith("scout: ")
                .contains("no direct path"));
        assertThat(m.awaitExit(30)).as("mallory's pipe: %s", m.transcript()).isNotZero();
        System.out.println("alice: " + a.transcript() + "\nmallory: " + m.transcript());
        assertThat(Files.size(work.resolve("mitm-m"))).isZero();
        assertThat(json(mallory.api("GET", "/v1/sessions", null)).path("sessions")).as("Mallory's sessions").isEmpty();
        assertThat(mallory.daemon().transcript()).noneMatch(l -> l.contains("incoming"));
        assertThat(json(alice.api("GET", "/v1/sessions", null)).path("sessions").toString()).doesNotContain("mallory");
    }

    private static void awaitDevice(Device d, String contact, String address) {
        d.awaitApi(h -> h.status() == 200 && h.body().contains(address), "/v1/contacts/" + contact, 60);
    }

    static JsonNode json(ScoutLab.Http h) {
        try {
            return h.status() == 200 ? Jackson.parse(h.body()) : Jackson.object();
        } catch (Exception e) {
            return Jackson.object();
        }
    }

    interface Step {
        void run(Device d) throws Exception;
    }

    /** One step on every device at once (each in its own thread); the first failure is rethrown. */
    static void parallel(List<Device> devices, Step step) throws Exception {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (Device d : devices) {
            all.add(CompletableFuture.runAsync(() -> {
                try {
                    step.run(d);
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }, r -> new Thread(r, "natlab-" + d.name()).start()));
        }
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        } catch (java.util.concurrent.CompletionException e) {
            Throwable c = e.getCause() instanceof java.util.concurrent.CompletionException ce ? ce.getCause() : e.getCause();
            if (c instanceof Error err) {
                throw err;
            }
            throw (Exception) c;
        }
    }

    private static Path randomFile(String name, int bytes, long seed) throws Exception {
        byte[] b = new byte[bytes];
        new Random(seed).nextBytes(b);
        Path p = work.resolve(name + ".bin");
        Files.write(p, b);
        return p;
    }

    static String sha256(Path p) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) >= 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
