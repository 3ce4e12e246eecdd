package dev.scout.bench.sim;

import dev.scout.bench.Fragment;
import dev.scout.bench.sim.SimBench.Item;
import dev.scout.bench.sim.SimBench.Op;
import dev.scout.dht.DhtConfig;
import dev.scout.dht.NodeId;
import dev.scout.dht.transport.DiscardingItemStore;
import dev.scout.dht.transport.LinkModel;
import dev.scout.dht.transport.SimNetwork;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * A network where 10 % of the nodes are Sybils: each sits next to one of a few popular targets (its id
 * shares {@link #SYBIL_PREFIX_BITS} leading bits with it, far closer than any honest node), accepts puts
 * and answers every get with nothing. Honest nodes put the popular items, then random honest nodes get
 * them; the figure is the share of gets that return the value ({@code sim_sybil_get_success}, target
 * ≥ 0.99). Same link model as the main simulation, no churn, no stale entries: only the attack.
 */
final class SybilStage {
    static final int SYBIL_PREFIX_BITS = 24;

    private SybilStage() {}

    static void run(int honest, double sybilShare, int targets, int gets, DhtConfig config, double rtt, double sigma,
                    double loss, double perSecond, long seed, Fragment f) {
        Random random = new Random(seed);
        List<Item> items = new ArrayList<>();
        for (int t = 0; t < targets; t++) {
            items.add(SimItems.random(random));
        }
        int sybils = (int) Math.round(honest * sybilShare / (1 - sybilShare));
        SimNetwork net = new SimNetwork(seed, LinkModel.logNormal(rtt, sigma, loss, seed + 1));
        for (int i = 0; i < honest; i++) {
            net.addNode(config);
        }
        List<Integer> sybilIndexes = new ArrayList<>();
        for (int i = 0; i < sybils; i++) {
            Item near = items.get(i % targets);
            NodeId target = dev.scout.dht.MutableItem.target(dev.scout.dht.Ed25519PublicKey.of(near.publicKey), near.salt);
            sybilIndexes.add(net.addNode(NodeId.randomWithPrefix(target, SYBIL_PREFIX_BITS, random), config,
                    new DiscardingItemStore()));
        }
        SimBench bench = new SimBench(net, seed + 2, 0, 0, 0);
        for (int i : sybilIndexes) {
            bench.neverOrigin[i] = true;
        }
        new SimJoin(net, bench.ids, bench.random).joinDirect(16, LinkModel.logNormal(rtt, sigma, loss, seed + 1), 32,
                8_000, 1_500);

        List<Supplier<Op>> putLaunches = new ArrayList<>();
        for (Item item : items) {
            putLaunches.add(() -> bench.put(item));
        }
        List<Op> puts = new ArrayList<>();
        bench.drive(putLaunches, perSecond, 10 * 60_000L, puts);
        net.runFor(2_000);
        List<Supplier<Op>> getLaunches = new ArrayList<>();
        for (int k = 0; k < gets; k++) {
            Item item = items.get(k % targets);
            getLaunches.add(() -> bench.get(item));
        }
        List<Op> done = new ArrayList<>();
        bench.drive(getLaunches, perSecond, 30 * 60_000L, done);
        long ok = done.stream().filter(o -> o.ok).count();
        long[] rpcs = done.stream().filter(o -> o.end >= 0).mapToLong(o -> o.rpcs).sorted().toArray();
        long[] lat = done.stream().filter(o -> o.end >= 0).mapToLong(Op::latency).sorted().toArray();
        f.put("sim_sybil_honest_nodes", (long) honest).put("sim_sybil_nodes", (long) sybils)
                .put("sim_sybil_share", sybilShare).put("sim_sybil_targets", (long) targets)
                .put("sim_sybil_prefix_bits", (long) SYBIL_PREFIX_BITS)
                .put("sim_sybil_put_success", puts.stream().filter(o -> o.ok).count() / (double) puts.size())
                .put("sim_sybil_put_stored_mean", puts.stream().mapToInt(o -> o.stored).average().orElse(Double.NaN))
                .put("sim_sybil_get_count", (long) done.size())
                .put("sim_sybil_get_success", done.isEmpty() ? Double.NaN : ok / (double) done.size())
                .put("sim_sybil_get_p50_ms", Fragment.percentile(lat, 50))
                .put("sim_sybil_get_p99_ms", Fragment.percentile(lat, 99))
                .put("sim_sybil_rpcs_per_get", Fragment.mean(rpcs));
    }
}
