package dev.scout.cli;

import dev.scout.natlab.NatLab;
import dev.scout.natlab.ScoutLab;
import dev.scout.natlab.ScoutLab.Device;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.scout.cli.ScoutLabFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Push wake-ups through real Linux NAT (issue 20): Alice (h1) and Bob (h2) behind port-restricted cone
 * NATs, both registered at Carol's relay on the public host; their daemons poll each other only every
 * 15 min. A message Alice's daemon stores reaches Bob's running daemon within 2 s: her poke cannot pass
 * Bob's NAT directly (nothing of his went to her address), it goes through his relay, whose mapping he
 * keeps open. Run under {@code flock /tmp/natlab.lock}; needs root like {@link NatLabTest}.
 */
@Timeout(300)
class NatLabPushTest {
    @RegisterExtension
    static final ScoutLabFixture LAB = ScoutLabFixture.of("push", false, false);
    private static Device alice;
    private static Device bob;

    @BeforeAll
    static void buildLab() throws Exception {
        alice = LAB.device("alice", "h1", 6881);
        bob = LAB.device("bob", "h2", 6881);
        Device carol = LAB.device("carol", "pub", 6881);
        for (Device d : new Device[] {alice, bob, carol}) {
            d.init();
        }
        alice.addContact(bob);
        bob.addContact(alice);
        carol.startDaemon("--relay");
        String relay = NatLab.PUBLIC_HOST + ":6881";
        alice.startDaemon("--relay-via", relay);
        bob.startDaemon("--relay-via", relay);
        for (Device d : new Device[] {alice, bob}) {
            d.awaitApi(h -> "cone".equals(json(h).path("nat").asText())
                    && json(h).path("relay").path("registered").asBoolean(), "/v1/status", 90);
        }
        // Bob's relay entry is in the pair's record, and Alice's daemon (polling every second so far) has read it.
        bob.awaitApi(h -> json(h).path("relay").path("published_to").asInt() >= 1, "/v1/status", 60);
        alice.awaitApi(h -> h.status() == 200 && h.body().contains(NatLab.INTERNET + ".12:6881"), "/v1/contacts/bob", 60);
        long readAfter = System.currentTimeMillis() + 3_000; // a few of Alice's 1 s polls after the entry was published
        while (System.currentTimeMillis() < readAfter) {
            Thread.sleep(200);
        }
        // From now on only pokes bring news quickly: both poll every 15 min.
        for (Device d : new Device[] {alice, bob}) {
            assertThat(d.api("PATCH", "/v1/settings", "{\"poll_interval_seconds\": 900}").status()).isEqualTo(200);
        }
    }

    @Test
    void aMessageBetweenTwoHomesReachesTheRunningDaemonWithinTwoSeconds() throws Exception {
        for (String text : new String[] {"hello through the relay", "and again"}) {
            ScoutLab.Http sent = alice.api("POST", "/v1/messages", "{\"contact\": \"bob\", \"text\": \"" + text + "\"}");
            assertThat(sent.status()).as("send: %s", sent.body()).isEqualTo(201);
            long stored = System.nanoTime();
            long deadline = stored + 2_000_000_000L;
            boolean arrived = false;
            while (!arrived && System.nanoTime() < deadline) {
                arrived = bob.api("GET", "/v1/messages?contact=alice", null).body().contains(text);
                if (!arrived) {
                    Thread.sleep(50);
                }
            }
            long millis = (System.nanoTime() - stored) / 1_000_000;
            assertThat(arrived).as("'%s' in bob's daemon within 2 s of alice's send (%d ms)", text, millis).isTrue();
            System.out.printf("NAT lab push: '%s' at bob's daemon %d ms after alice's send returned%n", text, millis);
        }
    }
}
