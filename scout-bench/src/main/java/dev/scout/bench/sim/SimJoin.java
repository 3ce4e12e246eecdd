package dev.scout.bench.sim;

import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.krpc.Query;
import dev.scout.dht.lookup.RpcCallback;
import dev.scout.dht.routing.RoutingTable;
import dev.scout.dht.transport.LinkModel;
import dev.scout.dht.transport.SimNetwork;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * How the simulated nodes fill their routing tables before anything is measured: through real pings
 * ({@link #join}) or by seeding the tables directly with what those pings would have taught them
 * ({@link #joinDirect}), in a few virtual seconds instead of N sequential bootstraps.
 */
final class SimJoin {
    private final SimNetwork net;
    private final int n;
    private final NodeId[] ids;
    private final Random random;

    SimJoin(SimNetwork net, NodeId[] ids, Random random) {
        this.net = net;
        this.n = ids.length;
        this.ids = ids;
        this.random = random;
    }

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
                        core.request(net.address(c), new Query.Ping(), RpcCallback.IGNORE);
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
                        core.request(to, new Query.Ping(), RpcCallback.IGNORE);
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
}
