package dev.scout.dht;

import dev.scout.dht.routing.Bep42;
import dev.scout.dht.udp.DhtNode;

import dev.scout.dht.routing.RoutingTableFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A restarted node rejoins through its saved routing table, without the routers. */
class PersistenceTest {

    @Test
    void restartRejoinsWithoutRouters(@TempDir Path dir) throws Exception {
        List<DhtNode> others = new ArrayList<>();
        Path state = dir.resolve("dht.state");
        try {
            others.add(DhtNode.start(UdpLoopbackTest.loopback().build()));
            String seed = "127.0.0.1:" + others.get(0).localAddress().getPort();
            for (int i = 0; i < 5; i++) {
                others.add(DhtNode.start(UdpLoopbackTest.loopback().bootstrap(List.of(seed)).build()));
            }
            for (DhtNode n : others.subList(1, others.size())) {
                n.bootstrapped().get(20, TimeUnit.SECONDS);
            }
            NodeId firstId;
            try (DhtNode node = DhtNode.start(UdpLoopbackTest.loopback().bootstrap(List.of(seed)).stateFile(state).build())) {
                node.bootstrapped().get(20, TimeUnit.SECONDS);
                firstId = node.id();
            }
            RoutingTableFile.State saved = RoutingTableFile.load(state).orElseThrow();
            assertThat(saved.id()).isEqualTo(firstId);
            assertThat(saved.nodes()).isNotEmpty();

            // The router is now a dead address: only the saved table can get us back in.
            try (DhtNode node = DhtNode.start(UdpLoopbackTest.loopback().bootstrap(List.of("127.0.0.1:9")).stateFile(state).build())) {
                node.bootstrapped().get(20, TimeUnit.SECONDS);
                assertThat(node.id()).isEqualTo(firstId);
                List<NodeInfo> found = node.findNode(others.get(3).id()).get(20, TimeUnit.SECONDS);
                assertThat(found.get(0).id()).isEqualTo(others.get(3).id());
            }
            // No temporary files are left behind by the atomic writes.
            try (var files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("dht.state");
            }
        } finally {
            others.forEach(DhtNode::close);
        }
    }

    @Test
    void corruptStateFileIsIgnoredNotFatal(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("dht.state");
        Files.write(state, new byte[] {'d', '9', '9', '9', '9', '9', '9', '9', ':'});
        DhtNode seed = DhtNode.start(UdpLoopbackTest.loopback().build());
        try (DhtNode node = DhtNode.start(UdpLoopbackTest.loopback()
                .bootstrap(List.of("127.0.0.1:" + seed.localAddress().getPort())).stateFile(state).build())) {
            node.bootstrapped().get(20, TimeUnit.SECONDS);
        } finally {
            seed.close();
        }
        assertThat(RoutingTableFile.load(state)).isPresent();
    }

    @Test
    void savedExternalAddressMismatchGivesABep42Id(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("dht.state");
        InetSocketAddress external = new InetSocketAddress("124.31.75.21", 6881);
        NodeId stale = NodeId.parse("0000000000000000000000000000000000000001");
        RoutingTableFile.save(state, stale, List.of(), external);
        try (DhtNode node = DhtNode.start(UdpLoopbackTest.loopback().bootstrap(List.of("127.0.0.1:9")).stateFile(state).build())) {
            assertThat(node.id()).isNotEqualTo(stale);
            assertThat(Bep42.isValid(node.id(), external.getAddress())).isTrue();
        }
    }
}
