package dev.scout.cli;

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
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20 in the NAT lab: Alice's router (h1 behind r1, a cone NAT) gets another WAN address, as after
 * an ISP's new lease. Nothing changes on Alice's own machine; her daemon learns the new external address
 * from the DHT's votes, republishes her device entry, and Bob (h2, another cone NAT) reaches her daemon
 * again within 30 s: a new session through {@code scout pipe}. A lab of its own (two homes and the
 * public DHT), apart from {@link NatLabTest}'s. Needs root, {@code ip}, {@code iptables} and {@code python3}.
 */
@Timeout(300)
class NatLabNetworkChangeTest {
    private static final String NEW_WAN = NatLab.INTERNET + ".51";
    private static NatLab lab;
    private static Path work;
    private static Device alice;
    private static Device bob;

    @BeforeAll
    static void buildLabAndStartDaemons() throws Exception {
        NatLab.requireCapabilities();
        lab = new NatLab();
        lab.build(false, false);
        work = Files.createTempDirectory("scout-natlab-change-");
        ScoutLab scout = new ScoutLab(lab, System.getProperty("java.class.path"), work);
        scout.startPublicDht(8);
        alice = scout.device("alice", "h1", 6881);
        bob = scout.device("bob", "h2", 6881);
        alice.init();
        bob.init();
        alice.addContact(bob);
        bob.addContact(alice);
        alice.startDaemon("--session-poll", "500");
        bob.startDaemon("--session-poll", "500");
        bob.awaitApi(h -> h.status() == 200 && h.body().contains(NatLab.INTERNET + ".11:6881"), "/v1/contacts/alice", 90);
    }

    @AfterAll
    static void removeLab() throws Exception {
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
    void afterHerRoutersWanAddressChangesBobReachesAlicesDaemonWithin30s() throws Exception {
        long t0 = System.nanoTime();
        lab.changeWanAddress(1, NEW_WAN);
        // Alice's daemon notices through the DHT's votes and republishes; Bob's daemon reads her record.
        bob.awaitApi(h -> h.status() == 200 && h.body().contains(NEW_WAN + ":6881"), "/v1/contacts/alice", 30);
        long published = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("WAN address change: Bob sees Alice's new address after %d ms%n", published);
        assertThat(alice.daemon().transcript()).anyMatch(l -> l.contains("network change: external address changed"));

        byte[] data = new byte[100_000];
        new Random(7).nextBytes(data);
        Path in = work.resolve("to-alice.bin");
        Files.write(in, data);
        Path copy = work.resolve("to-alice-copy");
        Proc send = bob.pipe("alice", in, work.resolve("to-alice-back"));
        Proc receive = alice.pipe("bob", Path.of("/dev/null"), copy);
        try {
            assertThat(send.awaitExit(60)).as("bob's pipe: %s\nalice's pipe: %s", send.transcript(), receive.transcript()).isZero();
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nalice's pipe: " + receive.transcript()
                    + "\n--- alice's daemon ---\n" + tail(alice) + "\n--- bob's daemon ---\n" + tail(bob), e);
        }
        assertThat(receive.awaitExit(10)).as("alice's pipe: %s", receive.transcript()).isZero();
        long reached = (System.nanoTime() - t0) / 1_000_000;
        assertThat(Files.readAllBytes(copy)).as("the bytes Bob sent").isEqualTo(data);
        assertThat(String.join("\n", send.transcript())).contains(NEW_WAN);
        System.out.printf("WAN address change: new address published after %d ms, Bob's session done after %d ms%n",
                published, reached);
        assertThat(reached).as("Bob reached Alice's daemon within 30 s of the change\n%s", tail(alice)).isLessThan(30_000);
    }

    /** A daemon's last lines but the per-poll status ones. */
    private static String tail(Device d) {
        java.util.List<String> lines = d.daemon().transcript().stream().filter(l -> !l.contains(" status: routing table ")).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
