package dev.scout.node;

import dev.scout.app.Contact;
import dev.scout.app.ReceivedMessage;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.udp.LoopbackTestnet;
import dev.scout.testkit.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20, measured: a daemon lost the whole DHT (every node stopped), the nodes came back at the same
 * addresses, and the daemon stayed deaf (every address marked silent for ten minutes, "0 asked"). Now it
 * calls the silence its own outage, keeps probing, and a message sent after the network's return arrives
 * within 20 s.
 */
@Timeout(240)
class NetworkOutageTest {
    /** Past detection the outage lasts until the probes are as far apart as they get (1+2+4+8 s, then 15). */
    private static final long OUTAGE_PAST_DETECTION_MILLIS = 20_000;

    @Test
    void aMessageSentAfterTheWholeDhtCameBackArrivesWithin20s() throws Exception {
        LoopbackTestnet net = LoopbackTestnet.start(8);
        Ed25519KeyPair bobKeys = Ed25519KeyPair.generate();
        try (ScoutNode alice = ScoutNode.builder().testnet(net).pollInterval(Duration.ofSeconds(1)).start()) {
            alice.joined().get(30, TimeUnit.SECONDS);
            alice.contacts().add("bob", bobKeys.publicKey());
            List<NodeEvent> events = new CopyOnWriteArrayList<>();
            LinkedBlockingQueue<ReceivedMessage> heard = new LinkedBlockingQueue<>();
            alice.onEvent(events::add);
            alice.onMessage(heard::add);

            net.closeOnce(); // every DHT node stops
            Await.await(() -> !alice.network().online(), "alice sees her outage", Duration.ofSeconds(45));
            assertThat(alice.network().offlineSince()).isPresent();
            Thread.sleep(OUTAGE_PAST_DETECTION_MILLIS); // the outage's length: the scenario, not a wait for a result

            long back = System.nanoTime(); // the network returns: its first node binds right away
            net = net.restart(Duration.ofSeconds(60));
            try (ScoutNode bob = ScoutNode.builder().testnet(net).identity(bobKeys).start()) {
                bob.joined().get(30, TimeUnit.SECONDS);
                Contact alicesContact = bob.contacts().add("alice", alice.publicKey());
                bob.send(alicesContact, "after the outage").get(30, TimeUnit.SECONDS);
                long left = Duration.ofSeconds(20).toNanos() - (System.nanoTime() - back);
                ReceivedMessage m = heard.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
                assertThat(m).as("the message sent after the network returned, within 20 s").isNotNull();
                assertThat(m.text()).isEqualTo("after the outage");
                System.out.printf("message arrived %d ms after the network returned%n",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back));
            }
            assertThat(alice.network().online()).isTrue();
            Await.await(() -> events.stream().anyMatch(e -> e instanceof NodeEvent.NetworkChanged c && c.cause().equals("dht_back")),
                    "a network change event for the DHT's return");
            assertThat(events.stream().filter(e -> e instanceof NodeEvent.ConnectivityChanged).toList())
                    .containsExactly(new NodeEvent.ConnectivityChanged(false), new NodeEvent.ConnectivityChanged(true));
        } finally {
            net.close();
        }
    }
}
