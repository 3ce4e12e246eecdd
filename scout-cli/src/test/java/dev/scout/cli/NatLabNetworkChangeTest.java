package dev.scout.cli;

import dev.scout.natlab.NatLab;
import dev.scout.natlab.ScoutLab;
import dev.scout.natlab.ScoutLab.Device;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20 in the NAT lab: Alice's router (h1 behind r1, a cone NAT) gets another WAN address, as after
 * an ISP's new lease. Nothing changes on Alice's own machine; her daemon learns the new external address
 * from the DHT's votes, republishes her device entry (Bob's daemon shows the new address), and Bob
 * (h2, another cone NAT) reaches her daemon again within 30 s: his message is in her daemon's inbox. A lab of its own (two homes and the
 * public DHT), apart from {@link NatLabTest}'s. Needs root, {@code ip}, {@code iptables} and {@code python3}.
 */
@Timeout(300)
class NatLabNetworkChangeTest {
    private static final String NEW_WAN = NatLab.INTERNET + ".51";
    @RegisterExtension
    static final ScoutLabFixture LAB = ScoutLabFixture.of("network-change", false, false);
    private static Device alice;
    private static Device bob;

    @BeforeAll
    static void buildLabAndStartDaemons() throws Exception {
        alice = LAB.device("alice", "h1", 6881);
        bob = LAB.device("bob", "h2", 6881);
        alice.init();
        bob.init();
        alice.addContact(bob);
        bob.addContact(alice);
        alice.startDaemon();
        bob.startDaemon();
        bob.awaitApi(h -> h.status() == 200 && h.body().contains(NatLab.INTERNET + ".11:6881"), "/v1/contacts/alice", 90);
    }

    @Test
    void afterHerRoutersWanAddressChangesBobSeesItAndReachesAlicesDaemonWithin30s() throws Exception {
        long t0 = System.nanoTime();
        LAB.lab().changeWanAddress(1, NEW_WAN);
        // Alice's daemon notices through the DHT's votes and republishes; Bob's daemon reads her record.
        bob.awaitApi(h -> h.status() == 200 && h.body().contains(NEW_WAN + ":6881"), "/v1/contacts/alice", 30);
        long published = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("WAN address change: Bob sees Alice's new address after %d ms%n", published);
        assertThat(alice.daemon().transcript()).anyMatch(l -> l.contains("network change: external address changed"));

        // Bob's daemon reaches Alice's: a message from Bob lands in her daemon's inbox (through the DHT,
        // which her daemon reaches through the new address).
        ScoutLab.Http sent = bob.api("POST", "/v1/messages", "{\"contact\": \"alice\", \"text\": \"after the new lease\"}");
        assertThat(sent.status()).as(sent.body()).isEqualTo(201);
        long left = Math.max(1, 30 - (System.nanoTime() - t0) / 1_000_000_000L);
        alice.awaitApi(h -> h.status() == 200 && h.body().contains("after the new lease"), "/v1/messages?contact=bob", left);
        long reached = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("WAN address change: new address published after %d ms, Bob's message at Alice's daemon after %d ms%n",
                published, reached);
        assertThat(reached).as("Bob reached Alice's daemon within 30 s of the change\n%s", tail(alice)).isLessThan(30_000);
    }

    /** A daemon's last lines but the per-poll status ones. */
    private static String tail(Device d) {
        java.util.List<String> lines = d.daemon().transcript().stream().filter(l -> !l.contains(" status: routing table ")).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
