package dev.scout.dht.node;

import dev.scout.dht.node.address.RecentDestinations;
import dev.scout.dht.DhtConfig;
import dev.scout.dht.NodeId;
import dev.scout.dht.krpc.KrpcCodec;
import dev.scout.dht.lookup.RpcCallback;
import dev.scout.dht.krpc.KrpcDecodeException;
import dev.scout.dht.krpc.KrpcQuery;
import dev.scout.dht.krpc.KrpcResponse;
import dev.scout.dht.krpc.Query;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Unsolicited queries are told from replies to our own traffic; read-only mode can be switched. */
class ReachabilityTest {
    final AtomicLong clock = new AtomicLong(10_000_000);
    final List<InetSocketAddress> sentTo = new ArrayList<>();
    final List<byte[]> sent = new ArrayList<>();
    final NodeCore core = new NodeCore(NodeId.parse("8000000000000000000000000000000000000000"),
            DhtConfig.builder().bootstrap(List.of()).build(), clock::get, new Random(7), (data, to) -> {
                sentTo.add(to);
                sent.add(data.clone());
            });

    void ping(InetSocketAddress from) {
        byte[] wire = KrpcCodec.encode(new KrpcQuery("aa".getBytes(StandardCharsets.ISO_8859_1),
                NodeId.parse("1111111111111111111111111111111111111111"), new Query.Ping(), false, null));
        core.handleDatagram(wire, wire.length, from);
    }


    @Test
    void queriesFromAddressesWeDidNotContactCountAsUnsolicited() {
        InetSocketAddress stranger = new InetSocketAddress("198.51.100.1", 6881);
        InetSocketAddress contacted = new InetSocketAddress("198.51.100.2", 6881);
        ping(stranger);
        assertThat(core.reachability().unsolicitedQueries()).as("not observed before it is asked for").isZero();

        core.observeReachability();
        core.request(contacted, new Query.Ping(), RpcCallback.IGNORE);
        ping(contacted);
        assertThat(core.reachability().unsolicitedQueries()).isZero();
        ping(new InetSocketAddress("198.51.100.3", 6881));
        assertThat(core.reachability().unsolicitedQueries()).isEqualTo(1);

        // Long after our last packet to it, a NAT mapping would be gone: the next query is unsolicited.
        clock.addAndGet(RecentDestinations.WINDOW_MILLIS + 1);
        ping(contacted);
        assertThat(core.reachability().unsolicitedQueries()).isEqualTo(2);
    }

    @Test
    void readOnlyCanBeSwitchedAtRunTime() throws KrpcDecodeException {
        InetSocketAddress peer = new InetSocketAddress("198.51.100.9", 6881);
        core.setReadOnly(true);
        ping(peer);
        assertThat(sent).as("a read-only node answers no query").isEmpty();
        core.request(peer, new Query.Ping(), RpcCallback.IGNORE);
        assertThat(((KrpcQuery) KrpcCodec.decode(sent.get(0))).readOnly()).isTrue();
        assertThat(core.reachability().readOnly()).isTrue();

        core.setReadOnly(false);
        sent.clear();
        ping(peer);
        assertThat(sent).isNotEmpty(); // the answer (then perhaps a ping to verify the new node)
        assertThat(KrpcCodec.decode(sent.get(0))).isInstanceOf(KrpcResponse.class);
    }
}
