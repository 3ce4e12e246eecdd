package dev.scout.dht.node;

import dev.scout.dht.lookup.RpcCallback;
import dev.scout.dht.DhtConfig;
import dev.scout.dht.NodeId;
import dev.scout.dht.krpc.KrpcCodec;
import dev.scout.dht.krpc.KrpcQuery;
import dev.scout.dht.krpc.Query;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Lookups skip an address whose request went unanswered, until it is heard from or ten minutes pass. */
class UnresponsiveAddressesTest {
    final AtomicLong clock = new AtomicLong(1_000);
    final NodeCore node = new NodeCore(NodeId.random(new Random(1)), DhtConfig.builder().requestTimeoutMillis(2_000).build(),
            clock::get, new Random(2), (data, to) -> { });
    final InetSocketAddress silent = new InetSocketAddress("127.0.0.1", 40_001);

    void timeOut() {
        node.request(silent, new Query.Ping(), RpcCallback.IGNORE);
        clock.addAndGet(2_000);
        node.tick();
    }

    @Test
    void aTimedOutAddressIsSkippedUntilItSpeaksOrTenMinutesPass() {
        assertThat(node.recentlyUnresponsive(silent)).isFalse();
        timeOut();
        assertThat(node.recentlyUnresponsive(silent)).isTrue();

        byte[] ping = KrpcCodec.encode(new KrpcQuery(new byte[] {1, 2}, NodeId.random(new Random(3)), new Query.Ping(), false, null));
        node.handleDatagram(ping, ping.length, silent);
        assertThat(node.recentlyUnresponsive(silent)).as("heard from it again").isFalse();

        timeOut();
        assertThat(node.recentlyUnresponsive(silent)).isTrue();
        clock.addAndGet(UnresponsiveAddresses.FORGET_AFTER_MILLIS);
        assertThat(node.recentlyUnresponsive(silent)).as("forgotten after ten minutes").isFalse();
    }
}
