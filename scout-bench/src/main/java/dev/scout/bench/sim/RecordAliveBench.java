package dev.scout.bench.sim;

import dev.scout.bench.Fragment;
import dev.scout.core.Entry;
import dev.scout.core.KeepAlive;
import dev.scout.core.RecordItem;
import dev.scout.core.crypto.Identity;
import dev.scout.core.crypto.PairKeys;
import dev.scout.dht.DhtConfig;
import dev.scout.dht.item.MutableItem;
import dev.scout.dht.transport.LinkModel;
import dev.scout.dht.transport.SimDht;
import dev.scout.dht.transport.SimNetwork;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Does a contact record outlive its writer? Alice writes the pair's record twice (seq 1, which Bob
 * reads and keeps alive with scout-core's {@link KeepAlive}, then seq 2, which Bob has not seen) and
 * goes offline for a simulated day. Bob stays online. Meanwhile the network churns: every hour about
 * 3.8 % of the nodes leave for good and as many fresh ones join (one replica then survives a day
 * with about 39 % probability, the figure of pkarr's churn study). At evenly spaced times a random
 * online node reads the record.
 *
 * <ul>
 *   <li>{@code sim_record_alive_contact_online}: share of reads that found the record at its newest
 *       version (seq 2) — Bob's keep-alive meets seq 2 at its first refresh, adopts it and keeps it.</li>
 *   <li>{@code sim_record_alive_owner_only}: the same for a second record of Alice's that nobody
 *       keeps alive: what the contact's keep-alive is worth (items expire two hours after a put).</li>
 * </ul>
 *
 * <pre>java -cp benchmarks.jar dev.scout.bench.sim.RecordAliveBench --nodes 2000 --checks 2000 --out parts/record.txt</pre>
 */
public final class RecordAliveBench {
    private static final long HOUR = 3_600_000L;

    private RecordAliveBench() {}

    public static void main(String[] argv) {
        Map<String, String> a = Fragment.args(argv);
        int nodes = Integer.parseInt(a.getOrDefault("nodes", "2000"));
        int checks = Integer.parseInt(a.getOrDefault("checks", "2000"));
        int hours = Integer.parseInt(a.getOrDefault("hours", "24"));
        double churn = Double.parseDouble(a.getOrDefault("churn-per-hour", "0.038"));
        long seed = Long.parseLong(a.getOrDefault("seed", "11"));
        Path out = Path.of(a.getOrDefault("out", "bench/results/parts/record.txt"));
        long started = System.nanoTime();
        Fragment f = run(nodes, checks, hours, churn, seed);
        f.put("sim_record_wall_s", (System.nanoTime() - started) / 1e9);
        f.write(out);
        f.values().forEach((k, v) -> System.out.println("[record] " + k + " = " + v));
    }

    static Fragment run(int size, int checks, int hours, double churnPerHour, long seed) {
        SimNetwork net = new SimNetwork(seed, LinkModel.uniform(10, 50));
        DhtConfig config = DhtConfig.builder().bootstrap(List.of()).build();
        for (int i = 0; i < size; i++) {
            net.addNode(config);
        }
        net.bootstrapAll();
        Random random = new Random(seed);
        int alice = 1;
        int bob = 2;
        List<Integer> churnable = new ArrayList<>();
        for (int i = 3; i < size; i++) {
            churnable.add(i);
        }

        Identity a = identity(random);
        Identity b = identity(random);
        PairKeys aliceKeys = PairKeys.derive(a, b.publicKey());
        byte[] salt = new byte[0];
        byte[] soloSalt = "alone".getBytes(StandardCharsets.US_ASCII);
        List<Entry> entries = List.of(Entry.create(1, "alice at 203.0.113.7:4000".getBytes(StandardCharsets.UTF_8)));
        SimDht aliceDht = new SimDht(net, alice);
        SimDht bobDht = new SimDht(net, bob);

        MutableItem v1 = RecordItem.seal(aliceKeys, salt, 1, entries).item();
        await(net, aliceDht.putMutable(v1, null));
        Optional<MutableItem> seen = await(net, bobDht.getMutable(v1.publicKey(), salt));
        if (seen.isEmpty()) {
            throw new IllegalStateException("Bob could not read the record Alice just wrote");
        }
        KeepAlive keepAlive = new KeepAlive(bobDht, new SimScheduler(net), Duration.ofMillis(HOUR),
                KeepAlive.DEFAULT_JITTER, new Random(seed + 1));
        KeepAlive.Registration kept = keepAlive.register(seen.get());
        // Alice writes again before leaving; Bob has not seen seq 2.
        MutableItem v2 = RecordItem.seal(aliceKeys, salt, 2, entries).item();
        await(net, aliceDht.putMutable(v2, null));
        MutableItem solo = RecordItem.seal(aliceKeys, soloSalt, 1, entries).item();
        await(net, aliceDht.putMutable(solo, null));
        net.setOnline(alice, false);

        long start = net.now();
        long span = hours * HOUR;
        long slice = span / checks;
        double leavesPerSlice = churnPerHour * (size - 3) * slice / HOUR;
        double owed = 0;
        int found = 0;
        int foundAfterExpiry = 0;
        int checksAfterExpiry = 0;
        int soloFound = 0;
        int joined = 0;
        for (int c = 0; c < checks; c++) {
            owed += leavesPerSlice;
            while (owed >= 1 && !churnable.isEmpty()) {
                owed -= 1;
                int leaving = churnable.remove(random.nextInt(churnable.size()));
                net.setOnline(leaving, false);
                int fresh = net.addNode(config);
                int via = churnable.get(random.nextInt(churnable.size()));
                await(net, net.onNode(fresh, n -> n.bootstrap(List.of(net.address(via))).future()));
                churnable.add(fresh);
                joined++;
            }
            net.runFor(Math.max(0, start + (c + 1) * slice - net.now()));
            int reader = churnable.get(random.nextInt(churnable.size()));
            SimDht readerDht = new SimDht(net, reader);
            Optional<MutableItem> got = await(net, readerDht.getMutable(v2.publicKey(), salt));
            boolean ok = got.isPresent() && got.get().seq() >= v2.seq();
            found += ok ? 1 : 0;
            if (net.now() - start >= 2 * HOUR) {
                checksAfterExpiry++;
                foundAfterExpiry += ok ? 1 : 0;
            }
            soloFound += await(net, readerDht.getMutable(solo.publicKey(), soloSalt)).isPresent() ? 1 : 0;
        }

        Fragment f = new Fragment();
        f.put("sim_record_nodes", size);
        f.put("sim_record_hours", hours);
        f.put("sim_record_checks", checks);
        f.put("sim_record_churn_per_hour", churnPerHour);
        f.put("sim_record_nodes_replaced", joined);
        f.put("sim_record_alive_contact_online", (double) found / checks);
        f.put("sim_record_alive_contact_online_after_2h",
                checksAfterExpiry == 0 ? null : (double) foundAfterExpiry / checksAfterExpiry);
        f.put("sim_record_alive_owner_only", (double) soloFound / checks);
        f.put("sim_record_keepalive_refreshes", kept.refreshCount());
        f.put("sim_record_keepalive_failures", kept.failureCount());
        f.put("sim_record_keepalive_seq", kept.item().map(MutableItem::seq).orElse(null));
        keepAlive.close();
        return f;
    }

    /** From the seed, so a run is a function of its arguments like every simulation here. */
    private static Identity identity(Random random) {
        byte[] seed = new byte[Identity.SEED_BYTES];
        random.nextBytes(seed);
        return Identity.fromSeed(seed);
    }

    private static <T> T await(SimNetwork net, CompletableFuture<T> future) {
        if (!net.runUntil(future::isDone, 600_000)) {
            throw new IllegalStateException("a simulated operation did not finish in 10 virtual minutes");
        }
        return future.join();
    }
}
