package dev.scout.cli;

import dev.scout.cli.common.DaemonFile;
import dev.scout.cli.demo.Testnet;

import dev.scout.dht.Addresses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.scout.cli.CliTestSupport.on;
import static dev.scout.cli.CliTestSupport.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without a daemon a command runs its own read-only node and never replaces the address the daemon
 * published; the daemon's port is remembered; a sync with nothing new writes nothing; {@code scout stop}
 * removes daemon.json.
 */
@Timeout(300)
class DaemonOwnershipTest {
    static Testnet net;
    static String entry;

    @TempDir
    Path tmp;

    @BeforeAll
    static void network() {
        net = Testnet.start(16, 0, 60_000);
        entry = Addresses.format(net.entry());
    }

    @AfterAll
    static void stop() {
        net.close();
    }

    CliTestSupport.Run ok(Path dir, String... args) {
        return succeeded(CliTestSupport.run(on(dir, entry, args)));
    }

    /** The ports Bob's sync sees for Alice's devices. */
    @SuppressWarnings("unchecked")
    List<Integer> alicePortsSeenByBob(Path bob) {
        Map<String, Object> r = ok(bob, "--json", "sync", "alice").json();
        return ((List<Map<String, Object>>) r.get("devices")).stream()
                .flatMap(d -> ((List<String>) d.get("addresses")).stream())
                .map(a -> Integer.parseInt(a.substring(a.lastIndexOf(':') + 1))).distinct().toList();
    }

    @Test
    void oneShotCommandsNeverReplaceTheDaemonsAddress() throws Exception {
        Path alice = tmp.resolve("alice");
        Path bob = tmp.resolve("bob");
        CliTestSupport.pair(entry, alice, bob);
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }

        DaemonHarness daemon = DaemonHarness.start(alice, entry, "--port", Integer.toString(port));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<Integer> seen = alicePortsSeenByBob(bob);
        while (seen.isEmpty() && System.nanoTime() < deadline) { // the daemon's first republish is under way
            seen = alicePortsSeenByBob(bob);
        }
        assertThat(seen).containsExactly(port);
        daemon.stop();
        assertThat(alice.resolve(DaemonFile.NAME)).doesNotExist();
        assertThat(ok(alice, "--json", "status").json()).containsEntry("running", false);

        // No daemon now: Alice's commands run their own short-lived nodes on other ports.
        ok(alice, "send", "bob", "sent without a daemon");
        ok(alice, "inbox");
        assertThat(alicePortsSeenByBob(bob)).containsExactly(port);
        assertThat(ok(bob, "inbox").out()).contains("sent without a daemon");

        // Nothing new on Alice's side: her sync reads the record and writes nothing.
        assertThat(ok(alice, "--json", "sync", "bob").json()).containsEntry("stored", 0L);

        // A restart without --port takes the remembered port again.
        DaemonHarness again = DaemonHarness.start(alice, entry);
        try {
            assertThat(again.expect(200, "GET", "/v1/status", null).get("port").asInt()).isEqualTo(port);
        } finally {
            again.stop();
        }
    }

    /**
     * Issue 19: with no daemon ever run, each one-shot sync used to publish its own short-lived port, so
     * every sync wrote (seq 4, 5, 6 with nothing new). A one-shot command never publishes its port: its
     * device entry carries no addresses until a daemon runs, and a sync with nothing new writes nothing.
     */
    @Test
    @SuppressWarnings("unchecked")
    void idleOneShotSyncsWithoutADaemonWriteNothingAndPublishNoPort() {
        Path alice = tmp.resolve("alice");
        Path bob = tmp.resolve("bob");
        CliTestSupport.pair(entry, alice, bob);
        Map<String, Object> first = ok(alice, "--json", "sync", "bob").json();
        assertThat((Long) first.get("stored")).isPositive();
        long seq = (Long) first.get("seq");
        for (int i = 0; i < 2; i++) {
            Map<String, Object> again = ok(alice, "--json", "sync", "bob").json();
            assertThat(again).containsEntry("seq", seq).containsEntry("stored", 0L);
        }
        Map<String, Object> seen = ok(bob, "--json", "sync", "alice").json();
        assertThat((List<Map<String, Object>>) seen.get("devices")).singleElement()
                .satisfies(d -> assertThat((List<String>) d.get("addresses")).isEmpty());
    }

    @Test
    void aContactsNewDeviceIsAnnouncedOnTheEventStream() throws Exception {
        Path alice = tmp.resolve("alice");
        Path bob = tmp.resolve("bob");
        CliTestSupport.pair(entry, alice, bob);
        DaemonHarness daemon = DaemonHarness.start(bob, entry);
        try (EventStream events = EventStream.open(daemon)) {
            ok(alice, "sync", "bob"); // Alice's first device entry, published by a one-shot node
            var data = events.await(e -> e.type().equals("contact")).data();
            assertThat(data.get("contact").asText()).isEqualTo("alice");
            assertThat(data.get("devices").size()).isEqualTo(1);
            // a one-shot node never publishes its own port, and Alice has never run a daemon
            assertThat(data.get("devices").get(0).get("addresses").size()).isZero();
        } finally {
            daemon.stop();
        }
    }
}
