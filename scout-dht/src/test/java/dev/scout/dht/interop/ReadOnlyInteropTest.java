package dev.scout.dht.interop;

import dev.scout.dht.Addresses;
import dev.scout.dht.DhtConfig;
import dev.scout.dht.ImmutableItem;
import dev.scout.dht.NodeId;
import dev.scout.dht.udp.DhtNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19: one-shot (read-only, BEP 43) nodes were found in libtorrent nodes' routing tables. Against
 * real libtorrent 2.0.8 nodes: a read-only Scout node's lookups leave it out of every libtorrent table
 * (a regular node doing the same lookups, the control, gets in), but a put it makes puts it into the
 * tables of the nodes that stored it — libtorrent's storage path calls {@code node_seen} for every
 * accepted put or announce_peer, whatever {@code ro} says (docs/protocol-notes.md).
 */
@Timeout(180)
class ReadOnlyInteropTest {
    private static final int THEIRS = 6;

    @Test
    void aReadOnlyNodesLookupsStayOutOfLibtorrentTablesButItsPutsDoNot() throws Exception {
        try (LibtorrentNodes lt = LibtorrentNodes.start(THEIRS, List.of())) {
            List<String> boot = lt.nodes().stream().map(n -> Addresses.format(n.address())).toList();
            DhtConfig.Builder b = DhtConfig.builder().bindAddress(new InetSocketAddress("127.0.0.1", 0))
                    .bootstrap(boot).requestTimeoutMillis(2_000);
            try (DhtNode readOnly = DhtNode.start(b.readOnly(true).build());
                 DhtNode control = DhtNode.start(b.readOnly(false).build())) {
                for (DhtNode n : List.of(readOnly, control)) {
                    n.bootstrapped().get(30, TimeUnit.SECONDS);
                    for (int i = 0; i < 3; i++) {
                        n.findNode(NodeId.random()).get(30, TimeUnit.SECONDS);
                    }
                    n.getPeers(NodeId.random()).get(30, TimeUnit.SECONDS);
                }
                int port = readOnly.localAddress().getPort();
                int controlPort = control.localAddress().getPort();
                assertThat(InteropTest.eventually(() -> tablesHolding(lt, controlPort) >= 1, 20_000))
                        .as("the control (not read-only) got into some libtorrent table").isTrue();
                assertThat(tablesHolding(lt, port)).as("libtorrent tables holding the read-only node after its lookups").isZero();

                // A put is different: every libtorrent node that accepts it adds the sender, ro=1 or not.
                ImmutableItem item = ImmutableItem.ofBencoded("5:issue".getBytes(StandardCharsets.US_ASCII));
                assertThat(readOnly.putImmutable(item).get(30, TimeUnit.SECONDS).stored()).isPositive();
                assertThat(InteropTest.eventually(() -> tablesHolding(lt, port) >= 1, 20_000))
                        .as("libtorrent adds a read-only node whose put it stored (node_seen ignores ro)").isTrue();
            }
        }
    }

    /** How many libtorrent nodes list 127.0.0.1:{@code port} in their routing table (dht_live_nodes). */
    private static int tablesHolding(LibtorrentNodes lt, int port) {
        int n = 0;
        try {
            for (int i = 0; i < THEIRS; i++) {
                List<?> nodes = (List<?>) lt.ok("routing_table", "node", i).get("nodes");
                if (nodes.stream().map(o -> (String) ((Map<?, ?>) o).get("addr"))
                        .anyMatch(a -> a.endsWith(":" + port))) {
                    n++;
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return n;
    }
}
