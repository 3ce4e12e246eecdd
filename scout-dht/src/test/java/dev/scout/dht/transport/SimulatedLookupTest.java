package dev.scout.dht.transport;

import dev.scout.dht.DhtConfig;
import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.lookup.FindNodeLookup;
import dev.scout.dht.routing.RoutingTable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** BEP 5 lookups on a 500-node simulated network return exactly the true K closest nodes. */
class SimulatedLookupTest {

    static SimNetwork bootstrappedNetwork(int size, long seed) {
        SimNetwork net = new SimNetwork(seed, LinkModel.uniform(5, 50));
        DhtConfig config = DhtConfig.builder().bootstrap(List.of()).build();
        for (int i = 0; i < size; i++) {
            net.addNode(config);
        }
        net.bootstrapAll();
        return net;
    }

    @Test
    void everyNodeFindsTheTrueKClosestForRandomTargets() {
        int size = 500;
        SimNetwork net = bootstrappedNetwork(size, 7);
        List<NodeId> ids = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ids.add(net.node(i).ownId());
        }
        Random random = new Random(99);
        List<NodeId> targets = new ArrayList<>();
        List<CompletableFuture<List<NodeInfo>>> lookups = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            NodeId target = NodeId.random(random);
            targets.add(target);
            lookups.add(net.onNode(i, n -> n.startLookup(new FindNodeLookup(n, target)).future()));
        }
        assertThat(net.runUntil(() -> lookups.stream().allMatch(CompletableFuture::isDone), 300_000)).isTrue();

        int exact = 0;
        for (int i = 0; i < size; i++) {
            NodeId target = targets.get(i);
            int self = i;
            List<NodeId> truth = ids.stream()
                    .filter(id -> !id.equals(ids.get(self))) // a node does not return itself
                    .sorted((a, b) -> target.compareDistance(a, b))
                    .limit(RoutingTable.K).toList();
            List<NodeId> found = lookups.get(i).join().stream().map(NodeInfo::id).toList();
            assertThat(found).as("lookup %d from node %d", i, i).containsExactlyElementsOf(truth);
            exact++;
        }
        assertThat(exact).isEqualTo(size);
    }
}
