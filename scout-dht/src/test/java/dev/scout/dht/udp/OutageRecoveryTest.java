package dev.scout.dht.udp;

import dev.scout.dht.DhtConfig;
import dev.scout.dht.NodeId;
import dev.scout.testkit.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20: a node that lost the whole DHT (every node stopped, as when the uplink goes) treats the
 * silence as its own outage and is back within 20 s of the network's return, although every address it
 * knew timed out (they would be skipped as silent for ten minutes otherwise).
 */
@Timeout(180)
class OutageRecoveryTest {
    /** The outage's length past its detection (not a wait for a result: the scenario itself). */
    private static final class OutageRecoveryDelays {
        static final long FULL_BACKOFF_MILLIS = 1_000 + 2_000 + 4_000 + 8_000 + 5_000;
    }

    @Test
    void aNodeCutOffFromTheWholeDhtFindsNodesAgainWithin20sOfItsReturn() throws Exception {
        LoopbackTestnet net = LoopbackTestnet.start(8);
        try (DhtNode node = DhtNode.start(net.nodeConfig().build())) {
            node.bootstrapped().get(30, TimeUnit.SECONDS);
            List<Boolean> changes = new CopyOnWriteArrayList<>();
            node.onConnectivityChange(changes::add);
            net.closeOnce();
            long down = System.nanoTime();
            // Our own lookups time out (every table entry silent), then the node calls it an outage.
            Await.await(() -> {
                node.findNode(NodeId.random(new java.util.Random()));
                return node.offline();
            }, "the node sees its outage", Duration.ofSeconds(45));
            System.out.printf("outage noticed after %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - down));
            // Listeners are told on the callback executor, after offline() already says so.
            Await.await(() -> changes.equals(List.of(false)), "the listener told of the outage");
            assertThat(node.findNode(NodeId.random(new java.util.Random())).get(30, TimeUnit.SECONDS))
                    .as("nothing answers while the network is down").isEmpty();

            // Stay down until the probes are as far apart as they get (1, 2, 4, 8, then 15 s): the worst case.
            Thread.sleep(OutageRecoveryDelays.FULL_BACKOFF_MILLIS);
            long back = System.nanoTime(); // the network's return: its first node binds right away
            net = net.restart(Duration.ofSeconds(60));
            Await.await(() -> !node.offline(), "the node back online", Duration.ofSeconds(20));
            Await.await(() -> !node.findNode(NodeId.random(new java.util.Random())).join().isEmpty(),
                    "a lookup that finds nodes", Duration.ofSeconds(20).minusNanos(System.nanoTime() - back));
            System.out.printf("back %d ms after the network returned%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back));
            Await.await(() -> changes.equals(List.of(false, true)), "offline, then online");
        } finally {
            net.close();
        }
    }

    @Test
    void aNodeStartedWithoutTheNetworkKeepsTryingAndJoinsWhenItAppears() throws Exception {
        int port;
        try (DatagramSocket free = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        InetSocketAddress router = new InetSocketAddress("127.0.0.1", port);
        DhtConfig config = DhtConfig.builder().bindAddress(new InetSocketAddress("127.0.0.1", 0))
                .bootstrap(List.of("127.0.0.1:" + port)).requestTimeoutMillis(LoopbackTestnet.REQUEST_TIMEOUT_MILLIS).build();
        try (DhtNode node = DhtNode.start(config)) {
            assertThat(node.bootstrapped()).failsWithin(30, TimeUnit.SECONDS);
            Await.await(node::offline, "the node offline after its failed join", Duration.ofSeconds(30));
            try (DhtNode appears = DhtNode.start(DhtConfig.builder().bindAddress(router).bootstrap(List.of())
                    .requestTimeoutMillis(LoopbackTestnet.REQUEST_TIMEOUT_MILLIS).build())) {
                long up = System.nanoTime();
                Await.await(() -> !node.offline(), "the node joined once its router answered", Duration.ofSeconds(20));
                System.out.printf("joined %d ms after the router appeared%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - up));
                Await.await(() -> appears.routingTable().join().stream().anyMatch(n -> n.id().equals(node.id())),
                        "the router knows the node");
            }
        }
    }
}
