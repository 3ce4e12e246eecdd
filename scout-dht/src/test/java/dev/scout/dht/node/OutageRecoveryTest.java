package dev.scout.dht.node;

import dev.scout.dht.DhtConfig;
import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.krpc.KrpcCodec;
import dev.scout.dht.krpc.KrpcMessage;
import dev.scout.dht.krpc.KrpcQuery;
import dev.scout.dht.krpc.KrpcResponse;
import dev.scout.dht.krpc.Query;
import dev.scout.dht.lookup.RpcCallback;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Our own outage on a virtual clock: when it is declared, what the probes cost, how it ends. */
class OutageRecoveryTest {
    final AtomicLong clock = new AtomicLong(1_000);
    final List<InetSocketAddress> sent = new ArrayList<>();
    final List<byte[]> datagrams = new ArrayList<>();
    final NodeCore node = new NodeCore(NodeId.random(new Random(1)), DhtConfig.builder().requestTimeoutMillis(2_000).build(),
            clock::get, new Random(2), (data, to) -> {
                sent.add(to);
                datagrams.add(data.clone()); // the encoder may reuse its buffer
            });
    final List<InetSocketAddress> routers = List.of(new InetSocketAddress("10.0.0.1", 6881), new InetSocketAddress("10.0.0.2", 6881));
    final List<Boolean> changes = new ArrayList<>();

    void advance(long millis) {
        for (long t = 0; t < millis; t += 100) {
            clock.addAndGet(100);
            node.tick();
        }
    }

    @Test
    void silenceIsOurOutageProbesAreBoundedAndTheFirstAnswerEndsIt() throws Exception {
        Random r = new Random(3);
        for (int i = 0; i < 8; i++) {
            node.routingTable().onResponse(new NodeInfo(NodeId.random(r), new InetSocketAddress("10.1.0." + (i + 1), 6881)), clock.get(), 50);
        }
        node.recoverFromOutages(routers, true, () -> { }, changes::add);
        InetSocketAddress silent = new InetSocketAddress("10.1.0.1", 6881);
        for (int i = 0; i < 3; i++) {
            node.request(silent, new Query.Ping(), RpcCallback.IGNORE);
        }
        advance(15_000);
        assertThat(changes).as("not yet: 20 s of silence make an outage").isEmpty();
        assertThat(node.recentlyUnresponsive(silent)).isTrue();
        advance(6_000);
        assertThat(changes).containsExactly(false);
        assertThat(node.offlineSince()).isPositive();
        assertThat(node.recentlyUnresponsive(silent)).as("the marks are forgotten: the silence was ours").isFalse();

        sent.clear();
        datagrams.clear();
        advance(600_000);
        // Probes at 0, 1, 3, 7, 15 s, then every 15 s; each to 2 routers and 3 table entries.
        int probes = 5 + (600_000 - 15_000) / 15_000 + 1;
        System.out.printf("offline for 10 min: %d datagrams (%d probe rounds)%n", sent.size(), probes);
        assertThat(sent.size()).isLessThanOrEqualTo(probes * 5).isGreaterThanOrEqualTo((probes - 5) * 5);

        // A router answers a probe: online again, and a re-join lookup goes out at once.
        int probed = sent.size();
        while (sent.size() == probed) {
            advance(100); // up to the next probe, whose requests are still pending
        }
        int before = sent.size();
        int last = sent.lastIndexOf(routers.get(0));
        KrpcMessage probe = KrpcCodec.decode(datagrams.get(last), 0, datagrams.get(last).length);
        byte[] answer = KrpcCodec.encode(new KrpcResponse(probe.transactionId(), NodeId.random(r), List.of(), List.of(),
                null, null, null, null, null, null, null, null));
        node.handleDatagram(answer, answer.length, routers.get(0));
        assertThat(changes).containsExactly(false, true);
        assertThat(node.offlineSince()).isEqualTo(-1);
        assertThat(sent.size()).as("the re-join lookup").isGreaterThan(before);
    }

    @Test
    void aLookupWithNobodyToAskIsAnOutageAndAsksTheSilentAnyway() {
        node.recoverFromOutages(List.of(), true, () -> { }, changes::add);
        InetSocketAddress a = new InetSocketAddress("10.1.0.1", 6881);
        NodeInfo n = new NodeInfo(NodeId.random(new Random(4)), a);
        node.routingTable().onResponse(n, clock.get(), 50);
        node.request(n, new Query.Ping(), RpcCallback.IGNORE);
        advance(2_500);
        assertThat(node.recentlyUnresponsive(a)).isTrue();
        sent.clear();
        node.startLookup(new dev.scout.dht.lookup.FindNodeLookup(node, NodeId.random(new Random(5))));
        assertThat(changes).containsExactly(false);
        assertThat(sent).as("the silent node is asked after all (and probed)").contains(a);
    }

    @Test
    void theFirstNodeOfANetworkIsAloneNotOffline() {
        node.recoverFromOutages(List.of(), false, () -> { }, changes::add); // no routers named, an empty table
        node.startLookup(new dev.scout.dht.lookup.FindNodeLookup(node, NodeId.random(new Random(6))));
        node.joinFailed();
        advance(30_000);
        assertThat(changes).as("nobody to ask because nobody is there yet: no outage").isEmpty();
        assertThat(node.offlineSince()).isEqualTo(-1);

        // once it knows somebody who then goes silent, a lookup with nobody left to ask is an outage again
        InetSocketAddress a = new InetSocketAddress("10.1.0.1", 6881);
        NodeInfo n = new NodeInfo(NodeId.random(new Random(7)), a);
        node.routingTable().onResponse(n, clock.get(), 50);
        node.request(n, new Query.Ping(), RpcCallback.IGNORE);
        advance(2_500);
        node.startLookup(new dev.scout.dht.lookup.FindNodeLookup(node, NodeId.random(new Random(8))));
        assertThat(changes).containsExactly(false);
    }
}
