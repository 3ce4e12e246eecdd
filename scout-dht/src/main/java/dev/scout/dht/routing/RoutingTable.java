package dev.scout.dht.routing;

import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * BEP 5 routing table: buckets of K=8 nodes; bucket {@code i} holds the nodes that share exactly
 * {@code i} leading bits with our id, and the last bucket holds everything closer. Only the last bucket
 * (the one covering our own id) splits, so the table stays O(K log N).
 *
 * <p>Only nodes that have answered one of our queries enter the table; nodes that merely query us are
 * handed back to the caller to verify with a ping first, so spoofed sources cannot poison it. Not
 * thread-safe: it lives on the node's event loop.
 *
 * <pre>{@code
 * RoutingTable table = new RoutingTable(ownId);
 * table.onResponse(node, now, rttMillis);
 * List<NodeInfo> closest = table.closest(target, RoutingTable.K, now);
 * }</pre>
 */
public final class RoutingTable {
    /** BEP 5 bucket size. */
    public static final int K = 8;
    private static final int MAX_BUCKETS = NodeId.BITS;
    /** Bits beyond the estimated network depth at which an id next to a target is suspiciously close. */
    private static final int SUSPICIOUS_MARGIN_BITS = 6;

    private NodeId ownId;
    private final List<Bucket> buckets = new ArrayList<>();

    public RoutingTable(NodeId ownId) {
        this.ownId = ownId;
        buckets.add(new Bucket(0));
    }

    public NodeId ownId() {
        return ownId;
    }

    /**
     * Re-keys the table to a new own id (BEP 42, once our external address is known): every entry and
     * replacement keeps its state and is re-bucketed by its distance to {@code newId}, splitting as an
     * insertion would; entries that no longer fit a full bucket move to its replacement cache.
     */
    public void rekey(NodeId newId, long now) {
        List<RoutingEntry> live = entries();
        List<RoutingEntry> spare = new ArrayList<>();
        for (Bucket b : buckets) {
            spare.addAll(b.replacements);
        }
        ownId = newId;
        buckets.clear();
        buckets.add(new Bucket(now));
        for (RoutingEntry e : live) {
            adopt(e, now);
        }
        for (RoutingEntry e : spare) {
            if (!e.id().equals(ownId) && bucketFor(e.id()).find(e.id()) == null) {
                bucketFor(e.id()).addReplacement(e);
            }
        }
    }

    private void adopt(RoutingEntry e, long now) {
        if (e.id().equals(ownId)) {
            return;
        }
        while (true) {
            int index = indexFor(e.id());
            Bucket bucket = buckets.get(index);
            if (!bucket.full()) {
                bucket.entries.add(e);
                return;
            }
            if (index == buckets.size() - 1 && buckets.size() < MAX_BUCKETS) {
                split(now);
                continue;
            }
            bucket.addReplacement(e);
            return;
        }
    }

    /** What the caller should do after {@link #onResponse}. */
    public sealed interface Insertion {
        /** Nothing more to do. */
        record Done() implements Insertion { }

        /** The bucket is full of questionable nodes: ping this one; if it fails, the newcomer replaces it. */
        record PingQuestionable(NodeInfo node) implements Insertion { }
    }

    private static final Insertion DONE = new Insertion.Done();

    /** A node answered one of our queries: refresh it, or try to add it. */
    public Insertion onResponse(NodeInfo node, long now, long rttMillis) {
        if (node.id().equals(ownId)) {
            return DONE;
        }
        Bucket bucket = bucketFor(node.id());
        RoutingEntry existing = bucket.find(node.id());
        if (existing != null) {
            if (!existing.hasAddress(node.address())) {
                // Same id from a new address: only take it over if the old address stopped answering.
                if (existing.state(now) != NodeState.BAD) {
                    return DONE;
                }
                bucket.entries.remove(existing);
                return insert(node, now, rttMillis);
            }
            existing.responded(now, rttMillis);
            bucket.lastChanged = now;
            return DONE;
        }
        // A node that restarted with a new id on the same address replaces its old self.
        removeAddress(node.address());
        return insert(node, now, rttMillis);
    }

    private Insertion insert(NodeInfo node, long now, long rttMillis) {
        while (true) {
            int index = indexFor(node.id());
            Bucket bucket = buckets.get(index);
            RoutingEntry entry = new RoutingEntry(node, now);
            entry.responded(now, rttMillis);
            if (!bucket.full()) {
                bucket.replacements.removeIf(r -> r.id().equals(node.id()));
                bucket.entries.add(entry);
                bucket.lastChanged = now;
                return DONE;
            }
            if (index == buckets.size() - 1 && buckets.size() < MAX_BUCKETS) {
                split(now);
                continue;
            }
            for (int i = 0; i < bucket.entries.size(); i++) {
                if (bucket.entries.get(i).state(now) == NodeState.BAD) {
                    bucket.entries.set(i, entry);
                    bucket.lastChanged = now;
                    return DONE;
                }
            }
            if (entry.verified()) {
                // BEP 42: a verified newcomer displaces the stalest entry whose id does not match its IP.
                RoutingEntry unverified = null;
                for (RoutingEntry e : bucket.entries) {
                    if (!e.verified() && (unverified == null || e.lastSeen() < unverified.lastSeen())) {
                        unverified = e;
                    }
                }
                if (unverified != null) {
                    bucket.entries.set(bucket.entries.indexOf(unverified), entry);
                    bucket.addReplacement(unverified);
                    bucket.lastChanged = now;
                    return DONE;
                }
            }
            bucket.addReplacement(entry);
            RoutingEntry stalest = null;
            for (RoutingEntry e : bucket.entries) {
                if (e.state(now) == NodeState.QUESTIONABLE && (stalest == null || e.lastSeen() < stalest.lastSeen())) {
                    stalest = e;
                }
            }
            return stalest == null ? DONE : new Insertion.PingQuestionable(stalest.node());
        }
    }

    private void split(long now) {
        Bucket last = buckets.get(buckets.size() - 1);
        int depth = buckets.size() - 1;
        Bucket near = new Bucket(now);
        Bucket far = new Bucket(now);
        for (RoutingEntry e : last.entries) {
            (ownId.commonPrefixLength(e.id()) > depth ? near : far).entries.add(e);
        }
        for (RoutingEntry e : last.replacements) {
            Bucket target = ownId.commonPrefixLength(e.id()) > depth ? near : far;
            if (!target.full()) {
                target.entries.add(e);
            } else {
                target.addReplacement(e);
            }
        }
        buckets.set(buckets.size() - 1, far);
        buckets.add(near);
    }

    /**
     * A node sent us a query. Known nodes are refreshed; returns true when the node is unknown but
     * would be welcome (its bucket has room or can split), so the caller may ping it to verify.
     */
    public boolean onQuery(NodeInfo node, long now) {
        if (node.id().equals(ownId)) {
            return false;
        }
        Bucket bucket = bucketFor(node.id());
        RoutingEntry existing = bucket.find(node.id());
        if (existing != null) {
            if (existing.hasAddress(node.address())) {
                existing.queriedUs(now);
            }
            return false;
        }
        int index = indexFor(node.id());
        return !bucket.full() || index == buckets.size() - 1 && buckets.size() < MAX_BUCKETS
                || bucket.entries.stream().anyMatch(e -> e.state(now) == NodeState.BAD);
    }

    /** One of our queries to {@code node} went unanswered. Bad nodes make way for a replacement. */
    public void onTimeout(NodeInfo node, long now) {
        Bucket bucket = bucketFor(node.id());
        RoutingEntry entry = bucket.find(node.id());
        if (entry == null || !entry.hasAddress(node.address())) {
            bucket.replacements.removeIf(r -> r.is(node));
            return;
        }
        entry.failed();
        if (entry.state(now) == NodeState.BAD) {
            RoutingEntry replacement = bucket.bestReplacement();
            if (replacement != null) {
                bucket.replacements.remove(replacement);
                bucket.entries.set(bucket.entries.indexOf(entry), replacement);
                bucket.lastChanged = now;
            }
        }
    }

    /** Removes a node outright (e.g. it answered with an error proving it is not a DHT node). */
    public void remove(NodeInfo node) {
        Bucket bucket = bucketFor(node.id());
        bucket.entries.removeIf(e -> e.is(node));
        bucket.replacements.removeIf(e -> e.is(node));
    }

    private void removeAddress(InetSocketAddress address) {
        for (Bucket b : buckets) {
            RoutingEntry e = b.findByAddress(address);
            if (e != null) {
                b.entries.remove(e);
                return;
            }
        }
    }

    /** The known entry for {@code id}, if it is in the table (not the replacement cache). */
    public Optional<RoutingEntry> entry(NodeId id) {
        return Optional.ofNullable(bucketFor(id).find(id));
    }

    /**
     * Up to {@code count} non-bad nodes closest to {@code target}, closest first. A bounded insertion
     * keeps only the best {@code count} while scanning, so no copy of the table is sorted.
     */
    public List<NodeInfo> closest(NodeId target, int count, long now) {
        if (count <= 0) {
            return new ArrayList<>(0);
        }
        RoutingEntry[] best = new RoutingEntry[count];
        int found = 0;
        for (int bi = 0, nb = buckets.size(); bi < nb; bi++) {
            List<RoutingEntry> entries = buckets.get(bi).entries;
            for (int ei = 0, ne = entries.size(); ei < ne; ei++) {
                RoutingEntry e = entries.get(ei);
                NodeId id = e.id();
                if (found == count && target.compareDistance(id, best[count - 1].id()) >= 0) {
                    continue; // not better than the worst kept: the common case, one comparison
                }
                if (e.state(now) == NodeState.BAD) {
                    continue;
                }
                int j = found < count ? found++ : count - 1;
                while (j > 0 && target.compareDistance(id, best[j - 1].id()) < 0) {
                    best[j] = best[j - 1];
                    j--;
                }
                best[j] = e;
            }
        }
        List<NodeInfo> out = new ArrayList<>(found);
        for (int i = 0; i < found; i++) {
            out.add(best[i].node());
        }
        return out;
    }

    /** Number of nodes in the table (not counting replacement caches). */
    public int size() {
        int n = 0;
        for (Bucket b : buckets) {
            n += b.entries.size();
        }
        return n;
    }

    public int bucketCount() {
        return buckets.size();
    }

    /**
     * Common prefix bits with a target beyond which a responder's id is suspiciously close (a Sybil).
     * log2(network size) ≈ buckets − 1 + log2(K): the table splits down to where K nodes share our
     * prefix. An honest node shares {@value #SUSPICIOUS_MARGIN_BITS} more bits with a target than that
     * with probability about 1/64, a Sybil placed next to it always does.
     */
    public int suspiciousPrefixBits() {
        return bucketCount() - 1 + 3 + SUSPICIOUS_MARGIN_BITS;
    }

    /** Every entry, for persistence and diagnostics. */
    public List<RoutingEntry> entries() {
        List<RoutingEntry> all = new ArrayList<>(size());
        for (Bucket b : buckets) {
            all.addAll(b.entries);
        }
        return all;
    }

    /** Questionable entries, least recently seen first: the ones maintenance should ping. */
    public List<NodeInfo> questionable(long now) {
        List<RoutingEntry> q = new ArrayList<>();
        for (Bucket b : buckets) {
            for (RoutingEntry e : b.entries) {
                if (e.state(now) == NodeState.QUESTIONABLE) {
                    q.add(e);
                }
            }
        }
        q.sort(Comparator.comparingLong(RoutingEntry::lastSeen));
        return q.stream().map(RoutingEntry::node).toList();
    }

    /**
     * Random ids inside every bucket that has not changed for {@code idleMillis}, marking those buckets
     * as refreshed; a lookup of each id refreshes the bucket (BEP 5).
     */
    public List<NodeId> refreshTargets(long now, long idleMillis, java.util.Random random) {
        List<NodeId> targets = new ArrayList<>();
        for (int i = 0; i < buckets.size(); i++) {
            Bucket b = buckets.get(i);
            if (now - b.lastChanged >= idleMillis) {
                b.lastChanged = now;
                targets.add(randomIdInBucket(i, random));
            }
        }
        return targets;
    }

    /** A random id that falls in bucket {@code index}. */
    NodeId randomIdInBucket(int index, java.util.Random random) {
        if (index == buckets.size() - 1) {
            return NodeId.randomWithPrefix(ownId, index, random);
        }
        // Share exactly `index` bits with our id: copy them, then flip bit `index`.
        byte[] b = NodeId.randomWithPrefix(ownId, index + 1, random).bytes();
        b[index >>> 3] ^= (byte) (0x80 >>> (index & 7));
        return NodeId.of(b);
    }

    private int indexFor(NodeId id) {
        return Math.min(ownId.commonPrefixLength(id), buckets.size() - 1);
    }

    private Bucket bucketFor(NodeId id) {
        return buckets.get(indexFor(id));
    }
}
