package dev.scout.dht;

import dev.scout.dht.routing.RoutingTableFile;
import dev.scout.dht.udp.DhtNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11's loopback reproduction as a test on real UDP: a node restarts from a saved routing table that
 * holds dead addresses and live nodes at ids they no longer have. Its bootstrap must not wait for any
 * hard timeout (set to 30 s here so such a wait could not hide), and the nodes that answered with new ids
 * are kept at those ids.
 */
class StaleBootstrapTest {
    private static final long HARD_TIMEOUT_MILLIS = 30_000;

    @Test
    void restartFromATableOfDeadAndStaleEntriesBootstrapsWithoutHardTimeouts(@TempDir Path dir) throws Exception {
        List<DhtNode> live = new ArrayList<>();
        try {
            live.add(DhtNode.start(UdpLoopbackTest.loopback().build()));
            String router = "127.0.0.1:" + live.get(0).localAddress().getPort();
            for (int i = 1; i < 10; i++) {
                live.add(DhtNode.start(UdpLoopbackTest.loopback().bootstrap(List.of(router)).build()));
            }
            for (DhtNode n : live.subList(1, live.size())) {
                n.bootstrapped().get(20, TimeUnit.SECONDS);
            }
            // The saved table: 12 dead addresses, 4 live nodes under ids they no longer have, 5 live as they are.
            Random random = new Random(3);
            List<NodeInfo> saved = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                saved.add(new NodeInfo(NodeId.random(random), deadAddress()));
            }
            Set<NodeId> staleIds = new java.util.HashSet<>();
            for (int i = 1; i < live.size(); i++) {
                InetSocketAddress a = new InetSocketAddress("127.0.0.1", live.get(i).localAddress().getPort());
                NodeId id = i <= 4 ? NodeId.random(random) : live.get(i).id();
                if (i <= 4) {
                    staleIds.add(id);
                }
                saved.add(new NodeInfo(id, a));
            }
            Path state = dir.resolve("dht.state");
            RoutingTableFile.save(state, NodeId.random(random), saved);

            for (int run = 0; run < 3; run++) {
                long start = System.nanoTime();
                try (DhtNode node = DhtNode.start(UdpLoopbackTest.loopback().bootstrap(List.of(router))
                        .requestTimeoutMillis(HARD_TIMEOUT_MILLIS).stateFile(state).build())) {
                    node.bootstrapped().get(HARD_TIMEOUT_MILLIS * 2, TimeUnit.MILLISECONDS);
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    // Loopback answers in well under a millisecond; generous for a loaded machine, and far
                    // below the 30 s a wait for one hard timeout would take.
                    assertThat(millis).as("bootstrap %d took %d ms", run, millis).isLessThan(2_000);
                }
                // Saved on close: every node at the id it answered with, none of the stale ones, and the
                // restarted nodes that were asked (the lookup stops once the K closest answered) among them.
                RoutingTableFile.State after = RoutingTableFile.load(state).orElseThrow();
                Set<NodeId> ids = after.nodes().stream().map(NodeInfo::id).collect(Collectors.toSet());
                assertThat(ids).doesNotContainAnyElementsOf(staleIds);
                for (NodeInfo n : after.nodes()) {
                    DhtNode owner = live.stream().filter(l -> l.localAddress().getPort() == n.address().getPort())
                            .findFirst().orElseThrow();
                    assertThat(n.id()).isEqualTo(owner.id());
                }
                assertThat(ids).containsAnyOf(live.get(1).id(), live.get(2).id(), live.get(3).id(), live.get(4).id());
            }
        } finally {
            live.forEach(DhtNode::close);
        }
    }

    /** A loopback port nothing listens on (bound, then released). */
    private static InetSocketAddress deadAddress() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress("127.0.0.1", s.getLocalPort());
        }
    }
}
