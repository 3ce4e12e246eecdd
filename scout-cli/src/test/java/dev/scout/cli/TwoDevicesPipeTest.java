package dev.scout.cli;

import dev.scout.cli.demo.Testnet;
import dev.scout.dht.Addresses;
import dev.scout.sqlite.StateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.scout.cli.CliTestSupport.on;
import static dev.scout.cli.CliTestSupport.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19: Alice has two devices (one seed, two daemons); both run {@code scout pipe bob} while Bob
 * runs {@code scout pipe alice}. One device gets Bob's bytes; the other used to print "session with
 * bob" and hang. Now Bob's daemon chooses the most recently active device and closes the other's
 * session, whose pipe ends with one line and a non-zero exit.
 */
@Timeout(400)
class TwoDevicesPipeTest {
    @TempDir
    Path tmp;

    @Test
    void theDeviceNotChosenEndsWithOneLineAndANonZeroExit() throws Exception {
        try (Testnet net = Testnet.start(16, 0, 60_000); People people = People.start(net, tmp, "alice1", "alice2", false)) {
            Path[] alice = people.alice();
            Path bob = people.bob();
            DaemonHarness bobd = people.bobd();
            Path[] in = new Path[3];
            Process[] p = new Process[3];
            String[] who = {"alice1", "alice2", "bob"};
            for (int i = 0; i < 3; i++) {
                in[i] = Files.writeString(tmp.resolve(who[i] + ".in"), "from " + who[i] + "\n");
            }
            for (int i = 0; i < 3; i++) {
                p[i] = SessionsTest.pipe(i < 2 ? alice[i] : bob, i < 2 ? "bob" : "alice", in[i], tmp.resolve(who[i] + ".out"),
                        tmp.resolve(who[i] + ".err"));
            }
            String log = awaitAll(p, who) + "\n" + bobd.log();
            assertThat(p[2].exitValue()).as(log).isZero();
            String bobGot = Files.readString(tmp.resolve("bob.out"));
            assertThat(bobGot).as(log).isIn("from alice1\n", "from alice2\n");
            int chosen = bobGot.equals("from alice1\n") ? 0 : 1;
            int other = 1 - chosen;
            assertThat(p[chosen].exitValue()).as(log).isZero();
            assertThat(Files.readString(tmp.resolve(who[chosen] + ".out"))).as(log).isEqualTo("from bob\n");
            assertThat(p[other].exitValue()).as(log).isNotZero();
            List<String> errLines = Files.readAllLines(tmp.resolve(who[other] + ".err")).stream()
                    .filter(l -> !l.startsWith("scout pipe: session with")).toList();
            assertThat(errLines).as(log).singleElement().satisfies(l -> assertThat(l).startsWith("scout: ").doesNotContain("Exception"));
            System.out.println("the device not chosen (" + who[other] + "): " + errLines.get(0));
        }
    }

    /**
     * {@code scout pipe alice --device alice-phone}: Bob names Alice's device. Both of Alice's devices pipe
     * to Bob, the laptop last (so by the default rule, the most recently active device, it would win);
     * Bob's pipe takes the phone's session and the laptop's pipe ends with one line. A device name the
     * contact does not have is a 404 {@code unknown_device} over HTTP and one line from the CLI.
     */
    @Test
    void bobChoosesAlicesDeviceByName() throws Exception {
        try (Testnet net = Testnet.start(16, 0, 60_000);
             People people = People.start(net, tmp, "alice-laptop", "alice-phone", true)) {
            Path[] alice = people.alice();
            Path bob = people.bob();
            String entry = Addresses.format(net.entry());
            DaemonHarness bobd = people.bobd();
            HttpResponse<String> unknown = bobd.call("POST", "/v1/sessions", "{\"contact\": \"alice\", \"device\": \"alice-tablet\"}");
            assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
            Map<String, Object> error = CliTestSupport.object(unknown.body());
            assertThat(error.get("code")).isEqualTo("unknown_device");
            assertThat((String) error.get("error")).contains("alice has no device named alice-tablet")
                    .contains("alice-laptop").contains("alice-phone");
            CliTestSupport.Run cli = CliTestSupport.run(on(bob, entry, "pipe", "alice", "--device", "alice-tablet"));
            assertThat(cli.exit()).as(cli.toString()).isNotZero();
            assertThat(cli.errLines()).as(cli.toString()).singleElement()
                    .satisfies(l -> assertThat(l).startsWith("scout: ").contains("no device named alice-tablet"));

            String[] who = {"alice-laptop", "alice-phone", "bob"};
            Path[] in = new Path[3];
            for (int i = 0; i < 3; i++) {
                in[i] = Files.writeString(tmp.resolve(who[i] + ".in"), "from " + who[i] + "\n");
            }
            Process[] p = new Process[3];
            p[1] = SessionsTest.pipe(alice[1], "bob", in[1], tmp.resolve("alice-phone.out"), tmp.resolve("alice-phone.err"));
            awaitIncoming(bobd, 1);
            p[0] = SessionsTest.pipe(alice[0], "bob", in[0], tmp.resolve("alice-laptop.out"), tmp.resolve("alice-laptop.err"));
            awaitIncoming(bobd, 2);
            p[2] = SessionsTest.pipe(bob, "alice", in[2], tmp.resolve("bob.out"), tmp.resolve("bob.err"), "--device", "ALICE-PHONE");
            String log = awaitAll(p, who) + "\n" + bobd.log();
            assertThat(p[2].exitValue()).as(log).isZero();
            assertThat(Files.readString(tmp.resolve("bob.out"))).as(log).isEqualTo("from alice-phone\n");
            assertThat(p[1].exitValue()).as(log).isZero();
            assertThat(Files.readString(tmp.resolve("alice-phone.out"))).as(log).isEqualTo("from bob\n");
            assertThat(p[0].exitValue()).as(log).isNotZero();
            assertThat(Files.readAllLines(tmp.resolve("alice-laptop.err")).stream()
                    .filter(l -> !l.startsWith("scout pipe: session with")).toList()).as(log).singleElement()
                    .satisfies(l -> assertThat(l).startsWith("scout: ").doesNotContain("Exception"));
        }
    }

    /** Bob and Alice's two devices (one seed), each the other's contact, their daemons running. */
    private record People(Path[] alice, Path bob, DaemonHarness bobd, DaemonHarness[] alices) implements AutoCloseable {
        /**
         * Initializes them in {@code tmp} (Alice's devices' state directories named {@code a1}, {@code a2},
         * and so are the devices if {@code named}) and returns once each daemon knows the others' devices
         * with addresses.
         */
        static People start(Testnet net, Path tmp, String a1, String a2, boolean named) throws Exception {
            String entry = Addresses.format(net.entry());
            Path[] alice = {tmp.resolve(a1), tmp.resolve(a2)};
            Path bob = tmp.resolve("bob");
            String bobKey = succeeded(CliTestSupport.run(on(bob, entry, "init", "--seed", AppCommandsTest.BOB_SEED))).out().strip();
            String aliceKey = null;
            for (Path a : alice) {
                aliceKey = succeeded(CliTestSupport.run(on(a, entry, "init", "--seed", AppCommandsTest.ALICE_SEED))).out().strip();
                succeeded(CliTestSupport.run(on(a, entry, "contacts", "add", "bob", bobKey)));
                if (named) {
                    try (StateStore store = StateStore.open(a)) {
                        store.setDeviceName(a.getFileName().toString());
                    }
                }
            }
            succeeded(CliTestSupport.run(on(bob, entry, "contacts", "add", "alice", aliceKey)));
            People p = new People(alice, bob, DaemonHarness.start(bob, entry),
                    new DaemonHarness[] {DaemonHarness.start(alice[0], entry), DaemonHarness.start(alice[1], entry)});
            try {
                awaitDevicesWithAddresses(bob, entry, "alice", 2);
                for (Path a : alice) {
                    awaitDevicesWithAddresses(a, entry, "bob", 1);
                }
            } catch (Throwable e) {
                p.close();
                throw e;
            }
            return p;
        }

        @Override
        public void close() throws Exception {
            alices[1].stop();
            alices[0].stop();
            bobd.stop();
        }
    }

    /** Waits (≤ 90 s each) for the pipes to end; their transcripts, one block per pipe; fails if one hangs. */
    private String awaitAll(Process[] p, String[] who) throws Exception {
        StringBuilder all = new StringBuilder();
        boolean[] done = new boolean[p.length];
        for (int i = 0; i < p.length; i++) {
            done[i] = p[i].waitFor(90, TimeUnit.SECONDS);
        }
        for (int i = 0; i < p.length; i++) {
            p[i].destroyForcibly();
            all.append("--- ").append(who[i]).append(done[i] ? " exit " + p[i].exitValue() : " hung").append('\n')
                    .append(Files.readString(tmp.resolve(who[i] + ".err")))
                    .append(Files.readString(tmp.resolve(who[i] + ".out")));
        }
        assertThat(done).as(all.toString()).containsOnly(true);
        return all.toString();
    }

    /** Waits (≤ 60 s) until {@code daemon} holds {@code n} live incoming sessions. */
    private static void awaitIncoming(DaemonHarness daemon, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            String body = daemon.call("GET", "/v1/sessions", null).body();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> sessions = (List<Map<String, Object>>) CliTestSupport.object(body).get("sessions");
            if (sessions.stream().filter(s -> Boolean.TRUE.equals(s.get("incoming")) && "open".equals(s.get("state"))).count() >= n) {
                return;
            }
            assertThat(System.nanoTime()).as("never %d incoming sessions: %s\n%s", n, body, daemon.log()).isLessThan(deadline);
            Thread.sleep(100); // between polls of a condition under a deadline
        }
    }

    /** Polls {@code sync NAME} through the daemon until the contact has {@code n} devices with addresses. */
    @SuppressWarnings("unchecked")
    private static void awaitDevicesWithAddresses(Path dir, String entry, String name, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            Map<String, Object> r = succeeded(CliTestSupport.run(on(dir, entry, "--json", "sync", name))).json();
            long withAddresses = ((List<Map<String, Object>>) r.get("devices")).stream()
                    .filter(d -> !((List<?>) d.get("addresses")).isEmpty()).count();
            if (withAddresses >= n) {
                return;
            }
            assertThat(System.nanoTime()).as(dir + " never saw " + n + " devices of " + name + " with addresses: " + r)
                    .isLessThan(deadline);
            Thread.sleep(200); // between polls of a condition under a deadline
        }
    }
}
