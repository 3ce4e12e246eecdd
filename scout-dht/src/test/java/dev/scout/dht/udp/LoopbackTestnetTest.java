package dev.scout.dht.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scout.dht.ImmutableItem;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.PutResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoopbackTestnetTest {

    @Test
    void aNodeOfOurOwnJoinsTheTestnetAndStoresOnIt() throws Exception {
        try (LoopbackTestnet testnet = LoopbackTestnet.start(8);
             DhtNode mine = DhtNode.start(testnet.nodeConfig().build())) {
            assertThat(testnet.nodes()).hasSize(8);
            for (DhtNode n : testnet.nodes()) {
                assertThat(n.localAddress().getAddress().isLoopbackAddress()).isTrue();
                List<NodeInfo> table = n.routingTable().get(10, TimeUnit.SECONDS);
                assertThat(table).as("routing table of %s", n.localAddress()).hasSizeGreaterThanOrEqualTo(7);
            }
            assertThat(testnet.bootstrap()).containsExactly("127.0.0.1:" + testnet.entry().getPort());

            mine.bootstrapped().get(30, TimeUnit.SECONDS);
            PutResult put = mine.putImmutable(ImmutableItem.ofText("on the testnet")).get(30, TimeUnit.SECONDS);
            assertThat(put.stored()).isPositive();
            DhtNode other = testnet.nodes().get(5);
            assertThat(other.getImmutable(put.target()).get(30, TimeUnit.SECONDS).orElseThrow().text())
                    .isEqualTo("on the testnet");
        }
    }

    @Test
    void closingTwiceIsHarmlessAndClosesTheNodes() throws Exception {
        LoopbackTestnet testnet = LoopbackTestnet.start(3, 0, Duration.ofSeconds(60));
        assertThat(testnet.closeOnce()).isTrue();
        assertThat(testnet.closeOnce()).isFalse();
        testnet.close();
        assertThat(testnet.nodes().get(0).routingTable()).failsWithin(Duration.ofSeconds(5));
    }

    @Test
    void aTestnetNeedsTwoNodes() {
        assertThatThrownBy(() -> LoopbackTestnet.start(1)).isInstanceOf(IllegalArgumentException.class);
    }
}
