package dev.scout.bench.sim;

import dev.scout.dht.StoreOutcome;

import dev.scout.bench.Fragment;
import dev.scout.dht.DhtConfig;
import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.MutableItem;
import dev.scout.dht.krpc.KrpcError;
import dev.scout.dht.krpc.KrpcResponse;
import dev.scout.dht.krpc.Query;
import dev.scout.dht.lookup.FindNodeLookup;
import dev.scout.dht.lookup.GetItemLookup;
import dev.scout.dht.lookup.StoreRound;
import dev.scout.dht.node.NodeCore;
import dev.scout.dht.NodeStats;
import dev.scout.dht.lookup.RpcCallback;
import dev.scout.dht.routing.RoutingTable;
import dev.scout.dht.transport.LinkModel;
import dev.scout.dht.transport.SimNetwork;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Whole-network benchmark on {@link SimNetwork} (virtual time): N nodes, log-normal RTTs, packet loss,
 * a share of routing entries that never answer, and churn while BEP 44 mutable puts, mutable gets and
 * find_node lookups are measured from online nodes.
 *
 * <p>Phases: create nodes → join (every node pings a sample of each of its buckets' key ranges, so
 * tables fill through the real protocol in a few virtual seconds instead of N sequential bootstraps)
 * → take the stale share offline for good → puts (with churn) → gets and find_nodes (with churn).
 * See {@code bench/README.md} for what each figure means.
 */
public final class SimBench {
    private static final long TICK_MILLIS = 100;

    private final SimNetwork net;
    private final int n;
    private final Random random;
    private final NodeId[] ids;
    private final boolean[] stale;
    private final boolean[] away; // churned off for now
    private final long[] backAt;
    private final int[] busy;
    private final List<Integer> awayList = new ArrayList<>();
    private final Map<NodeId, Integer> indexOf = new HashMap<>();
    private final double churnPerMinute;
    private final long churnAwayMinMillis;
    private final long churnAwayMaxMillis;
    private double churnCarry;
    private int churnLeaves;
    private int churnReturns;

    /** One measured operation. */
    static final class Op {
        final String kind;
        final int origin;
        long start;
        long end = -1;
        boolean ok;
        int rpcs;
        int stored; // puts: nodes that accepted
        double recall; // find_node: share of the true K closest found
        Item item;
        ProbeContext probe;
        long lookupEnd = -1; // put: when the get phase finished and the store round began

        Op(String kind, int origin) {
            this.kind = kind;
            this.origin = origin;
        }

        long latency() {
            return end - start;
        }
    }

    /** A mutable item this run put. */
    static final class Item {
        final Ed25519KeyPair signer;
        final byte[] publicKey;
        final byte[] salt;
        final byte[] value;
        long seq;
        boolean stored;

        Item(Ed25519KeyPair signer, byte[] salt, byte[] value) {
            this.signer = signer;
            this.publicKey = signer.publicKey().bytes();
            this.salt = salt;
            this.value = value;
        }
    }

    SimBench(SimNetwork net, long seed, double churnPerMinute, long awayMin, long awayMax) {
        this.net = net;
        this.n = net.size();
        this.random = new Random(seed);
        this.ids = new NodeId[n];
        for (int i = 0; i < n; i++) {
            ids[i] = net.node(i).ownId();
            indexOf.put(ids[i], i);
            byAddress.put(net.address(i), i);
        }
        this.stale = new boolean[n];
        this.away = new boolean[n];
        this.backAt = new long[n];
        this.busy = new int[n];
        this.churnPerMinute = churnPerMinute;
        this.churnAwayMinMillis = awayMin;
        this.churnAwayMaxMillis = awayMax;
    }

    // ---- join ------------------------------------------------------------------------------------

    /** Node indexes in ascending id order (both joins pick each node's contacts from this order). */
    private int[] sortedIndex() {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparing(i -> ids[i]));
        int[] out = new int[n];
        for (int k = 0; k < n; k++) {
            out[k] = order[k];
        }
        return out;
    }

    /**
     * Every node pings up to {@code perBucket} random nodes from the key range of each of its buckets
     * (ids sharing exactly b leading bits with its own, for every b that has any), in batches. The
     * answers fill its table through {@code NodeCore}'s normal response path; the pinged nodes see a
     * query from an unknown node and verify it with their own ping, as they would on the real network.
     */
    long[] join(int perBucket, int batch, long batchMillis) {
        int[] sortedIndex = sortedIndex();
        NodeId[] sorted = new NodeId[n];
        for (int k = 0; k < n; k++) {
            sorted[k] = ids[sortedIndex[k]];
        }
        long pings = 0;
        for (int start = 0; start < n; start += batch) {
            int end = Math.min(n, start + batch);
            for (int i = start; i < end; i++) {
                List<Integer> contacts = contacts(i, sorted, sortedIndex, perBucket);
                pings += contacts.size();
                net.onNode(i, core -> {
                    for (int c : contacts) {
                        core.request(net.address(c), new Query.Ping(), IGNORE);
                    }
                    return null;
                });
            }
            net.runFor(batchMillis);
        }
        net.runFor(6_000); // let the last verifications and timeouts finish
        return new long[] {pings};
    }

    /**
     * The same routing tables without the datagrams: for every contact {@link #join} would ping, the
     * node's table gets {@code onResponse} with a round-trip time drawn from the link model, and the
     * contact's table gets what its verification ping would have given it ({@code onQuery}, then
     * {@code onResponse} if the node was welcome). Addresses are fresh copies, as decoding makes them.
     * Then every node sends {@code trainPings} real pings to table entries, so its RTT estimator (which
     * drives the lookups' soft timeouts) has samples, as it would after a real join.
     */
    long[] joinDirect(int perBucket, LinkModel links, int trainPings, int batch, long batchMillis) {
        int[] sortedIndex = sortedIndex();
        NodeId[] sorted = new NodeId[n];
        for (int k = 0; k < n; k++) {
            sorted[k] = ids[sortedIndex[k]];
        }
        long now = net.now();
        long seeded = 0;
        for (int i = 0; i < n; i++) {
            RoutingTable own = net.node(i).routingTable();
            for (int c : contacts(i, sorted, sortedIndex, perBucket)) {
                long rtt = roundTrip(links, i, c);
                own.onResponse(new NodeInfo(copy(ids[c]), copy(net.address(c))), now, rtt);
                RoutingTable theirs = net.node(c).routingTable();
                NodeInfo me = new NodeInfo(copy(ids[i]), copy(net.address(i)));
                if (theirs.onQuery(me, now)) {
                    theirs.onResponse(me, now, rtt);
                }
                seeded++;
            }
        }
        long pings = 0;
        for (int start = 0; start < n; start += batch) {
            int end = Math.min(n, start + batch);
            for (int i = start; i < end; i++) {
                int self = i;
                pings += net.onNode(i, core -> {
                    List<dev.scout.dht.routing.RoutingEntry> entries = core.routingTable().entries();
                    int sent = 0;
                    for (int k = 0; k < trainPings && !entries.isEmpty(); k++) {
                        NodeInfo to = entries.get(random.nextInt(entries.size())).node();
                        core.request(to, new Query.Ping(), IGNORE);
                        sent++;
                    }
                    return sent;
                });
            }
            net.runFor(batchMillis);
        }
        net.runFor(6_000);
        return new long[] {pings, seeded};
    }

    private long roundTrip(LinkModel links, int a, int b) {
        long there;
        long back;
        do {
            there = links.delayMillis(a, b, random);
        } while (there < 0);
        do {
            back = links.delayMillis(b, a, random);
        } while (back < 0);
        return there + back;
    }

    /** Ids and addresses decoded from a datagram are fresh objects; the heap figure must see the same. */
    private static NodeId copy(NodeId id) {
        return NodeId.of(id.bytes());
    }

    private static java.net.InetSocketAddress copy(java.net.InetSocketAddress a) {
        return dev.scout.dht.Addresses.fromCompact(dev.scout.dht.Addresses.compact(a), 0, 6);
    }

    private List<Integer> contacts(int i, NodeId[] sorted, int[] sortedIndex, int perBucket) {
        byte[] own = ids[i].bytes();
        List<Integer> out = new ArrayList<>();
        for (int b = 0; b < NodeId.BITS; b++) {
            // Ids sharing exactly b bits with ours: our first b bits, bit b flipped, anything after.
            int from = lowerBound(sorted, bound(own, b, true, false));
            int to = upperBound(sorted, bound(own, b, true, true));
            int size = to - from;
            if (size <= perBucket) {
                for (int k = from; k < to; k++) {
                    out.add(sortedIndex[k]);
                }
            } else {
                java.util.Set<Integer> picked = new java.util.HashSet<>();
                while (picked.size() < perBucket) {
                    picked.add(from + random.nextInt(size));
                }
                for (int k : picked) {
                    out.add(sortedIndex[k]);
                }
            }
            // Anyone left who shares more than b bits with us (besides ourselves)?
            int nearFrom = lowerBound(sorted, bound(own, b, false, false));
            int nearTo = upperBound(sorted, bound(own, b, false, true));
            if (nearTo - nearFrom <= 1) {
                break;
            }
        }
        return out;
    }

    /** Our first b bits, bit b as ours or flipped, then all zeros or all ones. */
    private static NodeId bound(byte[] own, int b, boolean flip, boolean ones) {
        byte[] x = own.clone();
        if (flip) {
            x[b >>> 3] ^= (byte) (0x80 >>> (b & 7));
        }
        for (int bit = b + 1; bit < NodeId.BITS; bit++) {
            int mask = 0x80 >>> (bit & 7);
            if (ones) {
                x[bit >>> 3] |= (byte) mask;
            } else {
                x[bit >>> 3] &= (byte) ~mask;
            }
        }
        return NodeId.of(x);
    }

    private static int lowerBound(NodeId[] sorted, NodeId key) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid].compareTo(key) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int upperBound(NodeId[] sorted, NodeId key) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid].compareTo(key) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static final RpcCallback IGNORE = new RpcCallback() {
        @Override
        public void onResponse(KrpcResponse response, long rttMillis) {
        }

        @Override
        public void onError(KrpcError error) {
        }

        @Override
        public void onTimeout() {
        }
    };

    // ---- stale entries and churn -----------------------------------------------------------------

    int makeStale(double share) {
        int count = (int) Math.round(share * n);
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        java.util.Collections.shuffle(all, random);
        for (int k = 0; k < count; k++) {
            int i = all.get(k);
            stale[i] = true;
            net.setOnline(i, false);
        }
        return count;
    }

    private final Map<java.net.InetSocketAddress, Integer> byAddress = new HashMap<>();

    private boolean offline(java.net.InetSocketAddress a) {
        Integer i = byAddress.get(a);
        return i != null && !usable(i);
    }

    private boolean usable(int i) {
        return !stale[i] && !away[i];
    }

    /** Called every tick: some online nodes leave, nodes whose time away is over come back. */
    private void churn() {
        long now = net.now();
        for (int k = awayList.size() - 1; k >= 0; k--) {
            int i = awayList.get(k);
            if (backAt[i] <= now) {
                away[i] = false;
                net.setOnline(i, true);
                awayList.remove(k);
                churnReturns++;
            }
        }
        if (churnPerMinute <= 0) {
            return;
        }
        int online = n - countStale() - awayList.size();
        churnCarry += churnPerMinute * online * TICK_MILLIS / 60_000.0;
        int attempts = 0;
        while (churnCarry >= 1 && attempts++ < 1000) {
            int i = random.nextInt(n);
            if (!usable(i) || busy[i] > 0) {
                continue; // an origin stays up while its own operation runs
            }
            churnCarry -= 1;
            away[i] = true;
            backAt[i] = now + churnAwayMinMillis
                    + (long) (random.nextDouble() * (churnAwayMaxMillis - churnAwayMinMillis));
            net.setOnline(i, false);
            awayList.add(i);
            churnLeaves++;
        }
    }

    private int staleCount = -1;

    private int countStale() {
        if (staleCount < 0) {
            int c = 0;
            for (boolean s : stale) {
                c += s ? 1 : 0;
            }
            staleCount = c;
        }
        return staleCount;
    }

    private int randomOrigin() {
        while (true) {
            int i = random.nextInt(n);
            if (usable(i)) {
                return i;
            }
        }
    }

    // ---- operations ------------------------------------------------------------------------------

    /**
     * Runs {@code launches} at {@code perSecond} (virtual), with churn, until every operation finished
     * or {@code maxMillis} passed. Each launcher starts one operation and returns it.
     */
    private void drive(List<java.util.function.Supplier<Op>> launches, double perSecond, long maxMillis,
                       List<Op> started) {
        Deque<java.util.function.Supplier<Op>> queue = new ArrayDeque<>(launches);
        long deadline = net.now() + maxMillis;
        double carry = 0;
        while (net.now() < deadline) {
            churn();
            carry += perSecond * TICK_MILLIS / 1000.0;
            while (carry >= 1 && !queue.isEmpty()) {
                carry -= 1;
                started.add(queue.poll().get());
            }
            if (queue.isEmpty() && started.stream().allMatch(o -> o.end >= 0)) {
                break;
            }
            net.runFor(TICK_MILLIS);
        }
    }

    private void finish(Op op) {
        op.end = net.now();
        busy[op.origin]--;
    }

    Op put(Item item) {
        int origin = randomOrigin();
        Op op = new Op("put", origin);
        op.item = item;
        op.start = net.now();
        busy[origin]++;
        // The same steps as DhtOperations.putMutable(signer, salt, value), spelled out so the RPCs of
        // the get phase and of the store round can both be counted.
        CompletableFuture<List<StoreOutcome>> f = net.onNode(origin, core -> {
            ProbeContext probe = new ProbeContext(core, this::offline);
            op.probe = probe;
            return GetItemLookup.mutable(probe, item.publicKey, item.salt, core::countInvalidItem).start()
                    .thenCompose(found -> {
                op.lookupEnd = net.now();
                op.rpcs = found.rpcs();
                Long cas = found.mutable().map(MutableItem::seq).orElse(null);
                long seq = cas == null ? 1 : cas + 1;
                MutableItem signed = MutableItem.sign(item.signer, item.salt, seq, item.value);
                item.seq = seq;
                return StoreRound.run(probe, found.closest(), c -> new Query.Put(c.response().token(),
                        signed.value(), signed.publicKey().bytes(), signed.signature(),
                        item.salt.length == 0 ? null : item.salt, signed.seq(), cas));
            });
        });
        f.whenComplete((outcomes, error) -> {
            finish(op);
            if (outcomes != null) {
                op.rpcs += outcomes.size();
                op.stored = (int) outcomes.stream().filter(StoreOutcome::stored).count();
                op.ok = op.stored >= 1;
                item.stored = op.ok;
            }
        });
        return op;
    }

    Op get(Item item) {
        int origin = randomOrigin();
        Op op = new Op("get", origin);
        op.item = item;
        op.start = net.now();
        busy[origin]++;
        // What DhtOperations.getMutableWithTokens does, on a recording context.
        CompletableFuture<GetItemLookup.Result> f = net.onNode(origin, core -> {
            op.probe = new ProbeContext(core, this::offline);
            return GetItemLookup.mutable(op.probe, item.publicKey, item.salt, core::countInvalidItem).start();
        });
        f.whenComplete((result, error) -> {
            finish(op);
            if (result != null) {
                op.rpcs = result.rpcs();
                op.ok = result.mutable().isPresent() && result.mutable().get().seq() == item.seq
                        && Arrays.equals(result.mutable().get().value(), item.value);
            }
        });
        return op;
    }

    Op findNode(NodeId target) {
        int origin = randomOrigin();
        Op op = new Op("find_node", origin);
        op.start = net.now();
        busy[origin]++;
        FindNodeLookup[] lookup = new FindNodeLookup[1];
        CompletableFuture<List<NodeInfo>> f = net.onNode(origin, core -> {
            op.probe = new ProbeContext(core, this::offline);
            lookup[0] = new FindNodeLookup(op.probe, target);
            return core.startLookup(lookup[0]).future();
        });
        f.whenComplete((found, error) -> {
            finish(op);
            op.rpcs = lookup[0].rpcCount();
            if (found != null) {
                List<Integer> truth = trueClosest(target, origin, RoutingTable.K);
                int hit = 0;
                for (NodeInfo ni : found) {
                    Integer idx = indexOf.get(ni.id());
                    if (idx != null && truth.contains(idx)) {
                        hit++;
                    }
                }
                op.recall = truth.isEmpty() ? 1 : (double) hit / truth.size();
                op.ok = !found.isEmpty() && !truth.isEmpty() && found.get(0).id().equals(ids[truth.get(0)]);
            }
        });
        return op;
    }

    /** The k closest online nodes to target (at this moment), excluding the origin. */
    private List<Integer> trueClosest(NodeId target, int origin, int k) {
        int[] best = new int[k];
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (i == origin || !usable(i)) {
                continue;
            }
            if (count < k) {
                best[count++] = i;
                for (int j = count - 1; j > 0 && target.compareDistance(ids[best[j]], ids[best[j - 1]]) < 0; j--) {
                    int t = best[j];
                    best[j] = best[j - 1];
                    best[j - 1] = t;
                }
            } else if (target.compareDistance(ids[i], ids[best[k - 1]]) < 0) {
                best[k - 1] = i;
                for (int j = k - 1; j > 0 && target.compareDistance(ids[best[j]], ids[best[j - 1]]) < 0; j--) {
                    int t = best[j];
                    best[j] = best[j - 1];
                    best[j - 1] = t;
                }
            }
        }
        List<Integer> out = new ArrayList<>(count);
        for (int j = 0; j < count; j++) {
            out.add(best[j]);
        }
        return out;
    }

    // ---- where the time went ---------------------------------------------------------------------

    /** Figures from the recorded request timelines of {@code ops}. */
    static void timeline(Fragment f, String p, String kind, List<Op> ops) {
        List<Op> done = ops.stream().filter(o -> o.end >= 0 && o.probe != null).toList();
        if (done.isEmpty()) {
            return;
        }
        double slow = 0;
        double timeouts = 0;
        double offline = 0;
        double sent = 0;
        double values = 0;
        int endedByResponse = 0;
        int endedBySoft = 0;
        int endedByTimeout = 0;
        List<Long> rtts = new ArrayList<>();
        List<Long> firstValue = new ArrayList<>();
        List<Long> lookupPhase = new ArrayList<>();
        List<Long> storePhase = new ArrayList<>();
        List<Long> firstAck = new ArrayList<>();
        for (Op o : done) {
            long lookupEnd = kind.equals("put") ? o.lookupEnd : o.end;
            long fv = Long.MAX_VALUE;
            long ack = Long.MAX_VALUE;
            boolean byResponse = false;
            boolean bySoft = false;
            boolean byTimeout = false;
            for (ProbeContext.Rpc r : o.probe.rpcs) {
                sent++;
                offline += r.toOffline ? 1 : 0;
                slow += r.slowAt >= 0 ? 1 : 0;
                timeouts += r.outcome == 't' ? 1 : 0;
                if (r.outcome == 'r') {
                    rtts.add(r.doneAt - r.sentAt);
                    if (r.carriedValue) {
                        fv = Math.min(fv, r.doneAt);
                        values++;
                    }
                    if (r.method.equals("put")) {
                        ack = Math.min(ack, r.doneAt);
                    }
                }
                if (!r.method.equals("put") && lookupEnd >= 0) {
                    byResponse |= r.outcome == 'r' && r.doneAt == lookupEnd;
                    bySoft |= r.slowAt == lookupEnd;
                    byTimeout |= r.outcome == 't' && r.doneAt == lookupEnd;
                }
            }
            if (byResponse) {
                endedByResponse++;
            } else if (bySoft) {
                endedBySoft++;
            } else if (byTimeout) {
                endedByTimeout++;
            }
            if (fv != Long.MAX_VALUE) {
                firstValue.add(fv - o.start);
            }
            if (kind.equals("put") && o.lookupEnd >= 0) {
                lookupPhase.add(o.lookupEnd - o.start);
                storePhase.add(o.end - o.lookupEnd);
                if (ack != Long.MAX_VALUE) {
                    firstAck.add(ack - o.start);
                }
            }
        }
        int n = done.size();
        f.put(p + "soft_timeouts_mean", slow / n).put(p + "hard_timeouts_mean", timeouts / n)
                .put(p + "rpcs_to_offline_share", offline / sent)
                .put(p + "lookup_ended_by_response_share", endedByResponse / (double) n)
                .put(p + "lookup_ended_by_soft_timeout_share", endedBySoft / (double) n)
                .put(p + "lookup_ended_by_hard_timeout_share", endedByTimeout / (double) n)
                .put(p + "answered_rtt_p50_ms", Fragment.percentile(sorted(rtts), 50))
                .put(p + "answered_rtt_p90_ms", Fragment.percentile(sorted(rtts), 90));
        if (kind.equals("get")) {
            long[] fvs = sorted(firstValue);
            // every answer carrying the item costs the getter one Ed25519 verification
            f.put("sim_get_values_received_mean", values / n)
                    .put("sim_get_first_value_p50_ms", Fragment.percentile(fvs, 50))
                    .put("sim_get_first_value_p99_ms", Fragment.percentile(fvs, 99));
        }
        if (kind.equals("put")) {
            f.put("sim_put_lookup_phase_p50_ms", Fragment.percentile(sorted(lookupPhase), 50))
                    .put("sim_put_lookup_phase_p99_ms", Fragment.percentile(sorted(lookupPhase), 99))
                    .put("sim_put_store_phase_p50_ms", Fragment.percentile(sorted(storePhase), 50))
                    .put("sim_put_store_phase_p90_ms", Fragment.percentile(sorted(storePhase), 90))
                    .put("sim_put_first_ack_p50_ms", Fragment.percentile(sorted(firstAck), 50))
                    .put("sim_put_first_ack_p99_ms", Fragment.percentile(sorted(firstAck), 99));
        }
    }

    private static long[] sorted(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).sorted().toArray();
    }

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

    public static void main(String[] argv) throws IOException {
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
            joinStats = bench.joinDirect(perBucket, LinkModel.logNormal(rtt, sigma, loss, seed + 1),
                    Integer.parseInt(a.getOrDefault("train-pings", "32")), batch * 4, 1_500);
        } else {
            joinStats = bench.join(perBucket, batch, 1_500);
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
            byte[] s = new byte[32];
            itemRandom.nextBytes(s);
            byte[] salt = new byte[8];
            itemRandom.nextBytes(salt);
            byte[] raw = new byte[150];
            itemRandom.nextBytes(raw);
            byte[] value = new byte[4 + raw.length];
            System.arraycopy("150:".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, value, 0, 4);
            System.arraycopy(raw, 0, value, 4, raw.length);
            items.add(new Item(Ed25519KeyPair.ofSeed(s), salt, value));
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
            timeline(f, p, kind, ops);
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
