package dev.scout.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.routing.RoutingTableFile;
import dev.scout.dht.RoutingTableStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The routing table row and the daemon status rows. */
class DhtStateTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    @TempDir
    Path tmp;

    private final TestClock clock = new TestClock(T0);

    private StateStore open() {
        return StateStore.open(tmp.resolve("state"), clock);
    }

    private static RoutingTableFile.State state(long seed) throws Exception {
        Random random = new Random(seed);
        List<NodeInfo> nodes = List.of(
                new NodeInfo(NodeId.random(random), new InetSocketAddress(InetAddress.getByName("203.0.113.7"), 6881)),
                new NodeInfo(NodeId.random(random), new InetSocketAddress(InetAddress.getByName("198.51.100.2"), 51413)),
                new NodeInfo(NodeId.random(random), new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 6881)));
        return new RoutingTableFile.State(NodeId.random(random), nodes,
                new InetSocketAddress(InetAddress.getByName("192.0.2.44"), 40000));
    }

    @Test
    void routingTableRoundTrips() throws Exception {
        RoutingTableFile.State saved = state(1);
        try (StateStore store = open()) {
            RoutingTableStore rts = store.routingTableStore();
            assertThat(rts.load()).isEmpty();
            rts.save(RoutingTableFile.encode(state(0)));
            rts.save(RoutingTableFile.encode(saved));
            assertThat(rts.load().map(DhtStateTest::decode)).contains(saved);
        }
        try (StateStore store = open()) {
            Optional<RoutingTableFile.State> loaded = store.routingTableStore().load().map(DhtStateTest::decode);
            assertThat(loaded).contains(saved);
            assertThat(loaded.get().nodes()).hasSize(3);
            assertThat(loaded.get().externalAddress()).isEqualTo(saved.externalAddress());
        }
    }

    private static RoutingTableFile.State decode(byte[] data) {
        try {
            return RoutingTableFile.decode(data);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The store keeps bytes as they are; deciding that a table is corrupt is the node's job. */
    @Test
    void aCorruptRoutingTableRowIsHandedBackForTheNodeToReject() throws Exception {
        try (StateStore store = open()) {
            store.routingTableStore().save(RoutingTableFile.encode(state(1)));
        }
        try (Connection c = Keys.raw(tmp.resolve("state")); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE routing_table SET state = X'6c6c6c'");
        }
        try (StateStore store = open()) {
            byte[] loaded = store.routingTableStore().load().orElseThrow();
            assertThat(loaded).containsExactly(0x6c, 0x6c, 0x6c);
            assertThatThrownBy(() -> RoutingTableFile.decode(loaded)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aClosedStoreFailsRoutingSavesWithAnIOException() throws Exception {
        StateStore store = open();
        RoutingTableStore rts = store.routingTableStore();
        store.close();
        assertThatThrownBy(() -> rts.save(RoutingTableFile.encode(state(1)))).isInstanceOf(IOException.class).hasMessageContaining("closed");
    }

    @Test
    void daemonStatusRoundTrips() throws Exception {
        try (StateStore store = open()) {
            DaemonStatus empty = store.status().daemonStatus();
            assertThat(empty).isEqualTo(new DaemonStatus(Optional.empty(), Optional.empty(), OptionalInt.empty(),
                    Optional.empty(), Optional.empty(), Map.of()));
            store.status().recordRepublish(T0.minusSeconds(30));
            store.status().recordPoll(T0.minusSeconds(10));
            store.status().recordRoutingTableSize(123);
            clock.advance(Duration.ofSeconds(2));
            store.status().recordExternalAddress(new InetSocketAddress(InetAddress.getByName("2001:db8::5"), 6881));
            store.status().putStatus("pid", "4242");
        }
        try (StateStore store = open()) {
            DaemonStatus status = store.status().daemonStatus();
            assertThat(status.lastRepublish()).contains(T0.minusSeconds(30));
            assertThat(status.lastPoll()).contains(T0.minusSeconds(10));
            assertThat(status.routingTableSize()).hasValue(123);
            assertThat(status.externalAddress()).contains("[2001:db8:0:0:0:0:0:5]:6881");
            assertThat(status.updatedAt()).contains(T0.plusSeconds(2));
            assertThat(status.other()).isEqualTo(Map.of("pid", "4242"));

            store.status().recordExternalAddress(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 1));
            assertThat(store.status().daemonStatus().externalAddress()).contains("192.0.2.1:1");
            store.status().recordExternalAddress(null);
            assertThat(store.status().daemonStatus().externalAddress()).isEmpty();
            assertThatThrownBy(() -> store.status().putStatus("last_poll", "x")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.status().recordRoutingTableSize(-1)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
