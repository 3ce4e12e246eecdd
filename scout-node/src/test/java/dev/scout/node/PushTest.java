package dev.scout.node;

import dev.scout.app.Contact;
import dev.scout.app.ReceivedMessage;
import dev.scout.dht.udp.LoopbackTestnet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Push wake-ups between two running nodes with default options (safety-net poll: minutes) on a loopback testnet. */
@Timeout(120)
class PushTest {
    static LoopbackTestnet testnet;

    @BeforeAll
    static void start() {
        testnet = LoopbackTestnet.start(16);
    }

    @AfterAll
    static void stop() {
        testnet.close();
    }

    @Test
    void aMessageReachesTheRunningContactWithinTwoSecondsOfBeingStored() throws Exception {
        try (ScoutNode alice = ScoutNode.builder().testnet(testnet).start();
             ScoutNode bob = ScoutNode.builder().testnet(testnet).start()) {
            Contact bobForAlice = alice.contacts().add("bob", bob.publicKey());
            Contact aliceForBob = bob.contacts().add("alice", alice.publicKey());
            // Each side's device entry in the record, and alice has read bob's: where her poke goes.
            bob.sync(aliceForBob).get(60, TimeUnit.SECONDS);
            assertThat(alice.sync(bobForAlice).get(60, TimeUnit.SECONDS).devices()).isNotEmpty();
            LinkedBlockingQueue<ReceivedMessage> heard = new LinkedBlockingQueue<>();
            bob.onMessage(heard::add);
            for (String text : new String[] {"first", "second"}) {
                alice.send(bobForAlice, text).get(60, TimeUnit.SECONDS);
                long stored = System.nanoTime();
                ReceivedMessage m = heard.poll(2, TimeUnit.SECONDS); // bob polls every 15 min: only a poke brings it
                long millis = (System.nanoTime() - stored) / 1_000_000;
                assertThat(m).as("%s heard within 2 s of being stored (waited %d ms)", text, millis).isNotNull();
                assertThat(m.text()).isEqualTo(text);
                assertThat(m.contact()).isEqualTo("alice");
            }
            assertThat(bob.push().counts()[0]).as("pokes taken").isGreaterThanOrEqualTo(2);
        }
    }
}
