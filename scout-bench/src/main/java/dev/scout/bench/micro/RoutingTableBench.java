package dev.scout.bench.micro;

import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.routing.RoutingTable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.List;
import java.util.Random;

/**
 * {@link RoutingTable#closest} for K=8, on a table filled as it would be in a 100,000-node network: every
 * node of a random population is offered to the table, which keeps what its buckets hold.
 */
@State(Scope.Thread)
public class RoutingTableBench {
    private RoutingTable table;
    private NodeId[] targets;
    private int next;
    private long now;

    @Setup
    public void setup() {
        Random random = new Random(5);
        table = new RoutingTable(NodeId.random(random));
        List<NodeInfo> population = KrpcMessages.nodes(random, 100_000);
        now = 1_000_000;
        for (NodeInfo n : population) {
            table.onResponse(n, now, 50);
        }
        targets = new NodeId[1024];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = NodeId.random(random);
        }
    }

    /** Entries in the benchmarked table. */
    public static int size() {
        RoutingTableBench b = new RoutingTableBench();
        b.setup();
        return b.table.size();
    }

    @Benchmark
    public List<NodeInfo> closest8() {
        NodeId target = targets[next++ & (targets.length - 1)];
        return table.closest(target, RoutingTable.K, now);
    }
}
