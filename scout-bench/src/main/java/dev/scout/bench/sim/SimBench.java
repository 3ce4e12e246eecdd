package dev.scout.bench.sim;

import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.StoreOutcome;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.MutableItem;
import dev.scout.dht.krpc.Query;
import dev.scout.dht.lookup.FindNodeLookup;
import dev.scout.dht.lookup.GetItemLookup;
import dev.scout.dht.lookup.StoreRound;
import dev.scout.dht.routing.RoutingTable;
import dev.scout.dht.transport.SimNetwork;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
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
    static final long TICK_MILLIS = 100;

    private final SimNetwork net;
    private final int n;
    final Random random;
    final NodeId[] ids;
    final boolean[] stale;
    private final boolean[] away; // churned off for now
    private final long[] backAt;
    private final int[] busy;
    /** Nodes that never start an operation (the Sybil stage's attackers). */
    final boolean[] neverOrigin;
    private final List<Integer> awayList = new ArrayList<>();
    private final Map<NodeId, Integer> indexOf = new HashMap<>();
    private final double churnPerMinute;
    private final long churnAwayMinMillis;
    private final long churnAwayMaxMillis;
    private double churnCarry;
    int churnLeaves;
    int churnReturns;

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
        this.neverOrigin = new boolean[n];
        this.churnPerMinute = churnPerMinute;
        this.churnAwayMinMillis = awayMin;
        this.churnAwayMaxMillis = awayMax;
    }

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
    void churn() {
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
            if (usable(i) && !neverOrigin[i]) {
                return i;
            }
        }
    }

    // ---- operations ------------------------------------------------------------------------------

    /**
     * Runs {@code launches} at {@code perSecond} (virtual), with churn, until every operation finished
     * or {@code maxMillis} passed. Each launcher starts one operation and returns it.
     */
    void drive(List<java.util.function.Supplier<Op>> launches, double perSecond, long maxMillis,
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
            // As DhtOperations.getMutable: may stop once the closest nodes agree on the newest version.
            return GetItemLookup.mutable(op.probe, item.publicKey, item.salt, core::countInvalidItem)
                    .stopWhenClosestAgree().start();
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

    /** Entry point of the simulation stage (see {@link SimRun}). */
    public static void main(String[] argv) throws java.io.IOException {
        SimRun.main(argv);
    }
}
