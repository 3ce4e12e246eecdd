package dev.scout.bench.sim;

import dev.scout.bench.Fragment;
import dev.scout.bench.sim.SimBench.Item;
import dev.scout.bench.sim.SimBench.Op;
import dev.scout.dht.DhtConfig;
import dev.scout.dht.NodeId;
import dev.scout.dht.NodeStats;
import dev.scout.dht.transport.LinkModel;
import dev.scout.dht.transport.SimNetwork;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/** The simulation stage of {@code ./bench/run}: builds the network, runs the phases, writes the figures. */
final class SimRun {
    private SimRun() {}

    /** A class histogram of this JVM (jcmd), to see what the nodes' heap is made of. */
    static void histogram(Path file) {
        try {
            long pid = ProcessHandle.current().pid();
            Process p = new ProcessBuilder("jcmd", Long.toString(pid), "GC.class_histogram")
                    .redirectErrorStream(true).redirectOutput(file.toFile()).start();
            p.waitFor();
        } catch (IOException e) {
            System.out.println("[sim] no class histogram: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- main ------------------------------------------------------------------------------------

    static long usedHeapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static void log(String fmt, Object... args) {
        System.out.printf(Locale.ROOT, "[sim %tT] " + fmt + "%n", prepend(System.currentTimeMillis(), args));
        System.out.flush();
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    static void main(String[] argv) throws IOException {
        Map<String, String> a = Fragment.args(argv);
        int nodes = Integer.parseInt(a.getOrDefault("nodes", "10000"));
        int puts = Integer.parseInt(a.getOrDefault("puts", "300"));
        int gets = Integer.parseInt(a.getOrDefault("gets", "1000"));
        int finds = Integer.parseInt(a.getOrDefault("finds", "500"));
        double staleShare = Double.parseDouble(a.getOrDefault("stale", "0.3"));
        double loss = Double.parseDouble(a.getOrDefault("loss", "0.01"));
        double rtt = Double.parseDouble(a.getOrDefault("rtt", "80"));
        double sigma = Double.parseDouble(a.getOrDefault("sigma", "0.6"));
        double churn = Double.parseDouble(a.getOrDefault("churn-per-min", "0.02"));
        long awayMin = Long.parseLong(a.getOrDefault("churn-away-min-ms", "30000"));
        long awayMax = Long.parseLong(a.getOrDefault("churn-away-max-ms", "180000"));
        String joinMethod = a.getOrDefault("join", "direct");
        // direct: 8 entries and a full replacement cache per bucket, as a long-running node has;
        // ping: fewer, because every contact costs three datagrams
        int perBucket = Integer.parseInt(a.getOrDefault("join-per-bucket", joinMethod.equals("direct") ? "16" : "10"));
        int batch = Integer.parseInt(a.getOrDefault("join-batch", "2000"));
        double rate = Double.parseDouble(a.getOrDefault("ops-per-s", "100"));
        long seed = Long.parseLong(a.getOrDefault("seed", "1"));
        Path out = Path.of(a.getOrDefault("out", "bench/results/parts/sim.txt"));
        Path png = Path.of(a.getOrDefault("png", "bench/results/latency.png"));
        Path csv = Path.of(a.getOrDefault("csv", "bench/results/sim_latencies.csv"));

        Fragment f = new Fragment();
        f.put("sim_nodes", nodes).put("sim_stale_share", staleShare).put("sim_loss", loss)
                .put("sim_rtt_median_ms", rtt).put("sim_rtt_sigma", sigma).put("sim_churn_per_min", churn)
                .put("sim_seed", seed);

        long heap0 = usedHeapAfterGc();
        long wall0 = System.nanoTime();
        SimNetwork net = new SimNetwork(seed, LinkModel.logNormal(rtt, sigma, loss, seed + 1));
        DhtConfig.Builder cb = DhtConfig.builder().bootstrap(List.of());
        if (a.containsKey("alpha")) {
            cb.alpha(Integer.parseInt(a.get("alpha")));
        }
        if (a.containsKey("min-soft-ms")) {
            cb.minSoftTimeoutMillis(Long.parseLong(a.get("min-soft-ms")));
        }
        DhtConfig config = cb.build();
        f.put("sim_alpha", config.alpha()).put("sim_min_soft_timeout_ms", config.minSoftTimeoutMillis());
        for (int i = 0; i < nodes; i++) {
            net.addNode(config);
        }
        long heapCreated = usedHeapAfterGc();
        log("%d nodes created in %.1f s, %.0f bytes/node before join", nodes, (System.nanoTime() - wall0) / 1e9,
                (heapCreated - heap0) / (double) nodes);

        SimBench bench = new SimBench(net, seed + 2, churn, awayMin, awayMax);
        long wallJoin = System.nanoTime();
        long vJoin = net.now();
        long[] joinStats;
        if (joinMethod.equals("bootstrapAll")) {
            net.bootstrapAll(); // SimNetwork's own join, for comparison: one node after the other
            joinStats = new long[] {0, 0};
        } else if (joinMethod.equals("direct")) {
            // A second instance of the same model: the same per-node distances, its own draws.
            joinStats = new SimJoin(net, bench.ids, bench.random).joinDirect(perBucket, LinkModel.logNormal(rtt, sigma, loss, seed + 1),
                    Integer.parseInt(a.getOrDefault("train-pings", "32")), batch * 4, 1_500);
        } else {
            joinStats = new SimJoin(net, bench.ids, bench.random).join(perBucket, batch, 1_500);
        }
        double joinSeconds = (System.nanoTime() - wallJoin) / 1e9;
        long heapJoined = usedHeapAfterGc();
        if (a.containsKey("histo")) {
            histogram(Path.of(a.get("histo")));
        }
        int[] tableSizes = new int[nodes];
        long sumTable = 0;
        for (int i = 0; i < nodes; i++) {
            tableSizes[i] = net.node(i).routingTable().size();
            sumTable += tableSizes[i];
        }
        Arrays.sort(tableSizes);
        log("joined in %.1f s wall, %.1f s virtual: %d pings, %d datagrams delivered; table size mean %.1f min %d;"
                        + " heap %.0f bytes/node",
                joinSeconds, (net.now() - vJoin) / 1000.0, joinStats[0], net.delivered(), sumTable / (double) nodes,
                tableSizes[0], (heapJoined - heap0) / (double) nodes);
        f.put("sim_join_method", joinMethod.equals("bootstrapAll") ? "SimNetwork.bootstrapAll()" : joinMethod.equals("direct")
                        ? "direct table seeding (" + perBucket + " per bucket range) + real RTT-training pings"
                        : "ping-seeded buckets (" + perBucket + " per bucket range)")
                .put("sim_join_wall_s", joinSeconds).put("sim_join_virtual_s", (net.now() - vJoin) / 1000.0)
                .put("sim_join_pings", joinStats[0])
                .put("sim_table_size_mean", sumTable / (double) nodes)
                .put("sim_table_size_p1", (double) tableSizes[nodes / 100])
                .put("sim_heap_bytes_per_node_joined", (heapJoined - heap0) / (double) nodes)
                .put("sim_heap_bytes_per_node_empty", (heapCreated - heap0) / (double) nodes);

        int staleCount = bench.makeStale(staleShare);
        long[] sentBefore = new long[nodes];
        for (int i = 0; i < nodes; i++) {
            sentBefore[i] = net.node(i).stats().sent();
        }
        long deliveredBefore = net.delivered();
        long vMeasure = net.now();
        long wallMeasure = System.nanoTime();
        log("%d nodes (%.0f%%) offline for good (stale entries); measuring %d puts, %d gets, %d find_nodes",
                staleCount, 100.0 * staleCount / nodes, puts, gets, finds);

        // Puts: one fresh key (and 8-byte salt) each, a 150-byte bencoded string value.
        List<Item> items = new ArrayList<>();
        Random itemRandom = new Random(seed + 3);
        for (int k = 0; k < puts; k++) {
            items.add(SimItems.random(itemRandom));
        }
        List<java.util.function.Supplier<Op>> putLaunches = new ArrayList<>();
        for (Item item : items) {
            putLaunches.add(() -> bench.put(item));
        }
        List<Op> putOps = new ArrayList<>();
        bench.drive(putLaunches, rate, 30 * 60_000L, putOps);
        log("puts done at %.1f s virtual, %.1f s wall", (net.now() - vMeasure) / 1000.0,
                (System.nanoTime() - wallMeasure) / 1e9);
        net.runFor(5_000);

        // Gets (of items whose put stored somewhere) and find_nodes, interleaved.
        List<Item> stored = items.stream().filter(i -> i.stored).toList();
        List<java.util.function.Supplier<Op>> mixed = new ArrayList<>();
        for (int k = 0; k < gets && !stored.isEmpty(); k++) {
            Item item = stored.get(k % stored.size());
            mixed.add(() -> bench.get(item));
        }
        Random targetRandom = new Random(seed + 4);
        for (int k = 0; k < finds; k++) {
            NodeId target = NodeId.random(targetRandom);
            mixed.add(() -> bench.findNode(target));
        }
        java.util.Collections.shuffle(mixed, new Random(seed + 5));
        List<Op> mixedOps = new ArrayList<>();
        bench.drive(mixed, rate, 30 * 60_000L, mixedOps);
        double measureWall = (System.nanoTime() - wallMeasure) / 1e9;
        double measureVirtual = (net.now() - vMeasure) / 1000.0;
        log("gets and find_nodes done: measurement took %.1f s virtual, %.1f s wall", measureVirtual, measureWall);

        long offlineSends = 0;
        long allSends = 0;
        for (int i = 0; i < nodes; i++) {
            NodeStats st = net.node(i).stats();
            allSends += st.sent() - sentBefore[i];
            if (bench.stale[i]) {
                offlineSends += st.sent() - sentBefore[i];
            }
        }
        f.put("sim_measure_virtual_s", measureVirtual).put("sim_measure_wall_s", measureWall)
                .put("sim_datagrams_per_wall_s", (net.delivered() - deliveredBefore) / measureWall)
                .put("sim_churn_leaves", bench.churnLeaves).put("sim_churn_returns", bench.churnReturns)
                .put("sim_stale_nodes_sent", offlineSends).put("sim_all_nodes_sent", allSends);

        Map<String, List<Op>> byKind = new LinkedHashMap<>();
        byKind.put("get", new ArrayList<>());
        byKind.put("put", new ArrayList<>());
        byKind.put("find_node", new ArrayList<>());
        for (Op op : putOps) {
            byKind.get("put").add(op);
        }
        for (Op op : mixedOps) {
            byKind.get(op.kind).add(op);
        }
        Map<String, long[]> latencies = new LinkedHashMap<>();
        StringBuilder csvText = new StringBuilder("op,latency_ms,ok,rpcs\n");
        for (Map.Entry<String, List<Op>> e : byKind.entrySet()) {
            String kind = e.getKey();
            List<Op> ops = e.getValue();
            String p = "sim_" + kind + "_";
            int done = 0;
            int ok = 0;
            long[] lat = ops.stream().filter(o -> o.end >= 0).mapToLong(Op::latency).sorted().toArray();
            long[] rpcs = ops.stream().filter(o -> o.end >= 0).mapToLong(o -> o.rpcs).sorted().toArray();
            for (Op o : ops) {
                done += o.end >= 0 ? 1 : 0;
                ok += o.ok ? 1 : 0;
                csvText.append(kind).append(',').append(o.end >= 0 ? o.latency() : -1).append(',')
                        .append(o.ok ? 1 : 0).append(',').append(o.rpcs).append('\n');
            }
            latencies.put(kind, lat);
            f.put(p + "count", ops.size()).put(p + "unfinished", ops.size() - done)
                    .put(p + "p50_ms", Fragment.percentile(lat, 50)).put(p + "p90_ms", Fragment.percentile(lat, 90))
                    .put(p + "p99_ms", Fragment.percentile(lat, 99)).put(p + "max_ms", Fragment.percentile(lat, 100))
                    .put(p + "success", ops.isEmpty() ? Double.NaN : ok / (double) ops.size());
            String rpcKey = kind.equals("get") ? "sim_rpcs_per_get" : p + "rpcs_mean";
            f.put(rpcKey, Fragment.mean(rpcs)).put(p + "rpcs_p99", Fragment.percentile(rpcs, 99));
            if (kind.equals("put")) {
                f.put("sim_put_stored_mean", ops.stream().mapToInt(o -> o.stored).average().orElse(Double.NaN));
            }
            if (kind.equals("find_node")) {
                f.put("sim_find_node_recall8", ops.stream().mapToDouble(o -> o.recall).average().orElse(Double.NaN));
            }
            SimTimeline.timeline(f, p, kind, ops);
            log("%-9s n=%d ok=%.4f p50=%.0f p90=%.0f p99=%.0f ms, rpcs mean %.1f", kind, ops.size(),
                    ops.isEmpty() ? Double.NaN : ok / (double) ops.size(), Fragment.percentile(lat, 50),
                    Fragment.percentile(lat, 90), Fragment.percentile(lat, 99), Fragment.mean(rpcs));
        }
        for (List<Op> ops : byKind.values()) {
            for (Op op : ops) {
                op.probe = null; // the benchmark's own records are not node state
            }
        }
        long heapEnd = usedHeapAfterGc();
        // The headline heap figure: everything the nodes hold after the whole run (tables, replacement
        // caches, stored items, address votes, pending requests), plus the simulator's own queues.
        f.put("sim_heap_bytes_per_node", (heapEnd - heap0) / (double) nodes);
        f.put("sim_wall_total_s", (System.nanoTime() - wall0) / 1e9);
        // Stages after the heap figure, so their items and networks do not count in it.
        int trials = Integer.parseInt(a.getOrDefault("consistency-trials", "1000"));
        ConsistencyStage.run(net, bench, trials, rate, seed + 6, f);
        log("get after put: %s misses in %d trials (%s puts failed)", f.values().get("sim_get_after_put_misses"), trials,
                f.values().get("sim_get_after_put_put_failures"));
        int sybilHonest = Integer.parseInt(a.getOrDefault("sybil-honest-nodes", String.valueOf(Math.min(nodes, 5_000))));
        SybilStage.run(sybilHonest, Double.parseDouble(a.getOrDefault("sybil-share", "0.1")),
                Integer.parseInt(a.getOrDefault("sybil-targets", "20")), Integer.parseInt(a.getOrDefault("sybil-gets", "1000")),
                config, rtt, sigma, loss, rate, seed + 7, f);
        log("Sybil stage: %s Sybils among %d honest nodes, get success %s", f.values().get("sim_sybil_nodes"),
                sybilHonest, f.values().get("sim_sybil_get_success"));
        f.write(out);
        Files.createDirectories(csv.toAbsolutePath().getParent());
        Files.writeString(csv, csvText);
        LatencyChart.write(png, latencies, nodes, staleShare, loss, rtt, churn);
        log("wrote %s, %s, %s", out, csv, png);
        // Keep the network reachable until here so the end-of-run heap figure includes it.
        if (net.size() != nodes) {
            throw new IllegalStateException();
        }
    }
}
