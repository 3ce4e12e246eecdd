package dev.scout.dht.routing;

import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.testkit.RandomCases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.scout.dht.routing.RoutingTable.K;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** BEP 5 routing table: bucket structure, node states, replacement and persistence. */
class RoutingTableTest {
    static final long MIN = 60_000L;
    static final long GOOD = RoutingEntry.GOOD_MILLIS;

    private int nextAddress;

    /** A fresh, unique IPv4 address. */
    InetSocketAddress freshAddress() {
        int n = ++nextAddress;
        return addr(10, (n >>> 16) & 0xFF, (n >>> 8) & 0xFF, n & 0xFF, 1000 + (n % 50_000));
    }

    static InetSocketAddress addr(int a, int b, int c, int d, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}),
                    port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    NodeInfo node(NodeId id) {
        return new NodeInfo(id, freshAddress());
    }

    /** An id sharing exactly {@code cpl} leading bits with {@code own}. */
    static NodeId withCpl(NodeId own, int cpl, Random random) {
        byte[] b = NodeId.randomWithPrefix(own, cpl + 1, random).bytes();
        b[cpl >>> 3] ^= (byte) (0x80 >>> (cpl & 7));
        NodeId id = NodeId.of(b);
        assertThat(own.commonPrefixLength(id)).isEqualTo(cpl);
        return id;
    }

    static NodeState state(RoutingTable t, NodeId id, long now) {
        return t.entry(id).orElseThrow(() -> new AssertionError(id + " not in table")).state(now);
    }

    static List<NodeId> ids(List<NodeInfo> nodes) {
        return nodes.stream().map(NodeInfo::id).toList();
    }

    static List<NodeId> entryIds(RoutingTable t) {
        return t.entries().stream().map(e -> e.node().id()).toList();
    }

    // ---- structural invariants under random insertions -----------------------------------------

    /**
     * Reference model of which bucket count BEP 5 splitting yields: only the last bucket splits, and only
     * when it is full and a newcomer falls into it.
     */
    static final class SplitModel {
        int last;
        final List<Integer> lastBucket = new ArrayList<>(); // cpls of nodes in the last bucket

        void offer(int cpl) {
            while (true) {
                if (cpl < last) {
                    return; // a non-last bucket: never splits
                }
                if (lastBucket.size() < K) {
                    lastBucket.add(cpl);
                    return;
                }
                last++;
                lastBucket.removeIf(c -> c < last);
            }
        }
    }

    private record Insertions(long seed, int count) {
    }

    @Test
    void invariantsUnderRandomInsertions() {
        RandomCases.forAll(List.of(new Insertions(0, 1), new Insertions(-1, 4000)), 40,
                r -> new Insertions(RandomCases.longs(r), RandomCases.ints(r, 1, 4000)),
                c -> invariantsUnderRandomInsertions(c.seed(), c.count()));
    }

    private void invariantsUnderRandomInsertions(long seed, int count) {
        Random random = new Random(seed);
        NodeId own = NodeId.random(random);
        RoutingTable table = new RoutingTable(own);
        SplitModel model = new SplitModel();
        Map<Integer, Integer> offeredByCpl = new HashMap<>();
        long now = 1_000;
        for (int i = 0; i < count; i++) {
            if (i % 97 == 0) {
                // our own id, from some address, must never enter the table
                assertThat(table.onResponse(new NodeInfo(own, freshAddress()), now, 5))
                        .isInstanceOf(RoutingTable.Insertion.Done.class);
            }
            // Half uniform ids, half ids near our own so that deep buckets get exercised.
            NodeId id = random.nextBoolean() ? NodeId.random(random)
                    : NodeId.randomWithPrefix(own, random.nextInt(48), random);
            int cpl = own.commonPrefixLength(id);
            offeredByCpl.merge(cpl, 1, Integer::sum);
            model.offer(cpl);
            table.onResponse(node(id), now + i, 10);
        }
        long end = now + count;

        int last = table.bucketCount() - 1;
        assertThat(last).as("only the last bucket splits, and only when full").isEqualTo(model.last);
        List<RoutingEntry> entries = table.entries();
        assertThat(entries).hasSize(table.size());
        assertThat(entryIds(table)).doesNotContain(own).doesNotHaveDuplicates();

        // entries() lists buckets in order, so bucket indices must never decrease
        int previous = 0;
        Map<Integer, Integer> perBucket = new HashMap<>();
        for (RoutingEntry e : entries) {
            int bucket = Math.min(own.commonPrefixLength(e.node().id()), last);
            assertThat(bucket).as("bucket order in entries()").isGreaterThanOrEqualTo(previous);
            previous = bucket;
            perBucket.merge(bucket, 1, Integer::sum);
            assertThat(e.state(end)).isEqualTo(NodeState.GOOD);
        }
        for (int b = 0; b <= last; b++) {
            int inBucket = perBucket.getOrDefault(b, 0);
            assertThat(inBucket).as("bucket %d size", b).isLessThanOrEqualTo(K);
            int offered;
            if (b < last) {
                offered = offeredByCpl.getOrDefault(b, 0);
                assertThat(inBucket).as("bucket %d keeps the first K of its nodes", b).isEqualTo(Math.min(K, offered));
            } else {
                int lastBucket = b;
                offered = offeredByCpl.entrySet().stream().filter(e -> e.getKey() >= lastBucket)
                        .mapToInt(Map.Entry::getValue).sum();
                assertThat(inBucket).as("the last bucket never rejects a node: it splits").isEqualTo(offered);
            }
        }

        // closest() is the brute-force nearest among the entries
        for (int i = 0; i < 10; i++) {
            NodeId target = i == 0 ? own : NodeId.random(random);
            for (int k : new int[] {1, K, 3 * K, table.size() + 5}) {
                List<NodeId> expected = entryIds(table).stream().sorted(target::compareDistance).limit(k).toList();
                assertThat(ids(table.closest(target, k, end))).as("closest %d to %s", k, target)
                        .containsExactlyElementsOf(expected);
            }
        }
    }

    @Test
    void invariantsUnderRandomResponsesTimeoutsAndQueries() {
        RandomCases.forAll(25, RandomCases::longs, this::invariantsUnderRandomResponsesTimeoutsAndQueries);
    }

    private void invariantsUnderRandomResponsesTimeoutsAndQueries(long seed) {
        Random random = new Random(seed);
        NodeId own = NodeId.random(random);
        RoutingTable table = new RoutingTable(own);
        List<NodeInfo> known = new ArrayList<>();
        long now = 0;
        for (int step = 0; step < 3000; step++) {
            now += random.nextInt(5) == 0 ? random.nextInt((int) (20 * MIN)) : random.nextInt(1000);
            int op = random.nextInt(10);
            if (op < 5 || known.isEmpty()) {
                NodeId id = random.nextBoolean() ? NodeId.random(random)
                        : NodeId.randomWithPrefix(own, random.nextInt(24), random);
                NodeInfo n = node(id);
                known.add(n);
                RoutingTable.Insertion ins = table.onResponse(n, now, random.nextInt(500));
                if (ins instanceof RoutingTable.Insertion.PingQuestionable pq) {
                    assertThat(table.entry(pq.node().id())).isPresent();
                    assertThat(table.entry(pq.node().id()).get().state(now)).isEqualTo(NodeState.QUESTIONABLE);
                }
            } else if (op < 8) {
                table.onTimeout(known.get(random.nextInt(known.size())), now);
            } else if (op < 9) {
                table.onResponse(known.get(random.nextInt(known.size())), now, 20);
            } else {
                NodeInfo n = known.get(random.nextInt(known.size()));
                boolean wasKnown = table.entry(n.id()).isPresent();
                int size = table.size();
                table.onQuery(n, now);
                table.onQuery(node(NodeId.random(random)), now);
                assertThat(table.size()).as("queries never insert").isEqualTo(size);
                assertThat(table.entry(n.id()).isPresent()).isEqualTo(wasKnown);
            }
            if (step % 100 == 99) {
                assertStructure(table, now, random);
            }
        }
        assertStructure(table, now, random);
    }

    static void assertStructure(RoutingTable table, long now, Random random) {
        NodeId own = table.ownId();
        int last = table.bucketCount() - 1;
        List<RoutingEntry> entries = table.entries();
        assertThat(entryIds(table)).doesNotContain(own).doesNotHaveDuplicates();
        assertThat(entries.stream().map(e -> e.node().address()).toList()).doesNotHaveDuplicates();
        int previous = 0;
        Map<Integer, Integer> perBucket = new HashMap<>();
        for (RoutingEntry e : entries) {
            int bucket = Math.min(own.commonPrefixLength(e.node().id()), last);
            assertThat(bucket).isGreaterThanOrEqualTo(previous);
            previous = bucket;
            perBucket.merge(bucket, 1, Integer::sum);
            assertThat(table.entry(e.node().id())).containsSame(e);
        }
        assertThat(perBucket.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(K));
        NodeId target = NodeId.random(random);
        List<NodeId> expected = entries.stream().filter(e -> e.state(now) != NodeState.BAD)
                .map(e -> e.node().id()).sorted(target::compareDistance).limit(K).toList();
        assertThat(ids(table.closest(target, K, now))).containsExactlyElementsOf(expected);
    }

    @Test
    void ownIdIsNeverInserted() {
        NodeId own = NodeId.random(new Random(1));
        RoutingTable table = new RoutingTable(own);
        assertThat(table.onResponse(node(own), 0, 1)).isInstanceOf(RoutingTable.Insertion.Done.class);
        assertThat(table.onQuery(node(own), 0)).isFalse();
        assertThat(table.size()).isZero();
        assertThat(table.entry(own)).isEmpty();
    }

    @Test
    void onlyTheBucketHoldingOurIdSplits() {
        Random random = new Random(2);
        NodeId own = NodeId.random(random);
        RoutingTable table = new RoutingTable(own);
        // K + 1 nodes on the far half: the single bucket splits once, the far half is then full for good.
        for (int i = 0; i < 50; i++) {
            table.onResponse(node(withCpl(own, 0, random)), i, 1);
        }
        assertThat(table.bucketCount()).isEqualTo(2);
        assertThat(table.size()).isEqualTo(K);
        // Nodes close to us keep splitting the last bucket.
        for (int i = 0; i < 40; i++) {
            table.onResponse(node(NodeId.randomWithPrefix(own, 30, random)), 100 + i, 1);
        }
        assertThat(table.bucketCount()).isGreaterThan(2);
        assertThat(table.entries().stream().filter(e -> own.commonPrefixLength(e.node().id()) == 0)).hasSize(K);
    }

    // ---- node states ---------------------------------------------------------------------------

    @Test
    void goodAfterResponseQuestionableAfter15MinutesBadAfterTwoTimeouts() {
        Random random = new Random(3);
        RoutingTable table = new RoutingTable(NodeId.random(random));
        NodeInfo n = node(NodeId.random(random));
        long t0 = 1_000_000;
        table.onResponse(n, t0, 40);
        assertThat(state(table, n.id(), t0)).isEqualTo(NodeState.GOOD);
        assertThat(state(table, n.id(), t0 + GOOD - 1)).isEqualTo(NodeState.GOOD);
        assertThat(state(table, n.id(), t0 + GOOD)).isEqualTo(NodeState.QUESTIONABLE);
        assertThat(table.questionable(t0 + GOOD)).containsExactly(n);
        assertThat(table.questionable(t0 + GOOD - 1)).isEmpty();

        table.onTimeout(n, t0 + GOOD);
        assertThat(state(table, n.id(), t0 + GOOD)).isEqualTo(NodeState.QUESTIONABLE);
        assertThat(table.closest(n.id(), K, t0 + GOOD)).containsExactly(n);
        table.onTimeout(n, t0 + GOOD + 1);
        assertThat(state(table, n.id(), t0 + GOOD + 1)).isEqualTo(NodeState.BAD);
        assertThat(table.closest(n.id(), K, t0 + GOOD + 1)).as("bad nodes are not handed out").isEmpty();

        table.onResponse(n, t0 + GOOD + 2, 40);
        assertThat(state(table, n.id(), t0 + GOOD + 2)).isEqualTo(NodeState.GOOD);
        assertThat(table.entry(n.id()).orElseThrow().failures()).isZero();
    }

    @Test
    void aQueryFromANodeThatAnsweredBeforeKeepsItGood() {
        Random random = new Random(4);
        RoutingTable table = new RoutingTable(NodeId.random(random));
        NodeInfo n = node(NodeId.random(random));
        table.onResponse(n, 0, 40);
        assertThat(table.onQuery(n, 10 * MIN)).isFalse();
        assertThat(state(table, n.id(), 20 * MIN)).isEqualTo(NodeState.GOOD);
        assertThat(state(table, n.id(), 25 * MIN)).isEqualTo(NodeState.QUESTIONABLE);
    }

    @Test
    void aQueryFromAnotherAddressDoesNotRefreshTheEntry() {
        Random random = new Random(5);
        RoutingTable table = new RoutingTable(NodeId.random(random));
        NodeInfo n = node(NodeId.random(random));
        table.onResponse(n, 0, 40);
        table.onQuery(new NodeInfo(n.id(), freshAddress()), 10 * MIN);
        assertThat(state(table, n.id(), 16 * MIN)).isEqualTo(NodeState.QUESTIONABLE);
    }

    @Test
    void oneTimeoutThenAResponseDoesNotAccumulateToBad() {
        Random random = new Random(6);
        RoutingTable table = new RoutingTable(NodeId.random(random));
        NodeInfo n = node(NodeId.random(random));
        table.onResponse(n, 0, 40);
        table.onTimeout(n, 1);
        table.onResponse(n, 2, 40);
        table.onTimeout(n, 3);
        assertThat(state(table, n.id(), 3)).isNotEqualTo(NodeState.BAD);
    }

    // ---- full buckets, replacement cache -------------------------------------------------------

    /** A table whose bucket 0 (far half, no longer splittable) holds K nodes added at times 0..K-1. */
    record FullBucket(RoutingTable table, NodeId own, List<NodeInfo> members, NodeInfo firstReplacement) {
    }

    FullBucket fullFarBucket(Random random) {
        NodeId own = NodeId.random(random);
        RoutingTable table = new RoutingTable(own);
        List<NodeInfo> members = new ArrayList<>();
        for (int i = 0; i < K; i++) {
            NodeInfo n = node(withCpl(own, 0, random));
            members.add(n);
            assertThat(table.onResponse(n, i, 10)).isInstanceOf(RoutingTable.Insertion.Done.class);
        }
        NodeInfo extra = node(withCpl(own, 0, random));
        // splits; the far half is full of good nodes, so the newcomer is only cached
        assertThat(table.onResponse(extra, K, 10)).isInstanceOf(RoutingTable.Insertion.Done.class);
        assertThat(table.bucketCount()).isEqualTo(2);
        assertThat(table.entry(extra.id())).isEmpty();
        assertThat(ids(table.entries().stream().map(RoutingEntry::node).toList()))
                .containsExactlyInAnyOrderElementsOf(ids(members));
        return new FullBucket(table, own, members, extra);
    }

    @Test
    void fullBucketOfQuestionableNodesAsksToPingTheStalest() {
        Random random = new Random(7);
        FullBucket fb = fullFarBucket(random);
        long later = GOOD + 100;
        NodeInfo newcomer = node(withCpl(fb.own(), 0, random));
        RoutingTable.Insertion ins = fb.table().onResponse(newcomer, later, 10);
        assertThat(ins).isEqualTo(new RoutingTable.Insertion.PingQuestionable(fb.members().get(0)));
        assertThat(fb.table().entry(newcomer.id())).isEmpty();

        // BEP 5: a node that answered before and queries us again is good, so the next stalest is pinged.
        fb.table().onQuery(fb.members().get(0), later + 1);
        assertThat(state(fb.table(), fb.members().get(0).id(), later + 2)).isEqualTo(NodeState.GOOD);
        NodeInfo another = node(withCpl(fb.own(), 0, random));
        assertThat(fb.table().onResponse(another, later + 3, 10))
                .isEqualTo(new RoutingTable.Insertion.PingQuestionable(fb.members().get(1)));
    }

    @Test
    void fullBucketOfGoodNodesRefusesNewcomersSilently() {
        Random random = new Random(8);
        FullBucket fb = fullFarBucket(random);
        NodeInfo newcomer = node(withCpl(fb.own(), 0, random));
        assertThat(fb.table().onResponse(newcomer, GOOD - 1, 10)).isInstanceOf(RoutingTable.Insertion.Done.class);
        assertThat(fb.table().entry(newcomer.id())).isEmpty();
        assertThat(fb.table().onQuery(node(withCpl(fb.own(), 0, random)), GOOD - 1))
                .as("no room: a querying stranger is not worth verifying").isFalse();
    }

    @Test
    void badNodeIsReplacedFromTheReplacementCacheOnTimeout() {
        Random random = new Random(9);
        FullBucket fb = fullFarBucket(random);
        long later = GOOD + 100;
        NodeInfo newcomer = node(withCpl(fb.own(), 0, random));
        RoutingTable.Insertion ins = fb.table().onResponse(newcomer, later, 10);
        NodeInfo stalest = ((RoutingTable.Insertion.PingQuestionable) ins).node();

        fb.table().onTimeout(stalest, later + 5_000);
        assertThat(fb.table().entry(stalest.id())).as("one timeout is not enough").isPresent();
        assertThat(fb.table().entry(newcomer.id())).isEmpty();
        fb.table().onTimeout(stalest, later + 10_000);
        assertThat(fb.table().entry(stalest.id())).isEmpty();
        // the most recently heard replacement takes the slot
        assertThat(fb.table().entry(newcomer.id())).isPresent();
        assertThat(state(fb.table(), newcomer.id(), later + 10_000)).isEqualTo(NodeState.GOOD);
        assertThat(fb.table().size()).isEqualTo(K);
        // the older replacement is still cached and fills the next slot that goes bad
        NodeInfo victim = fb.members().get(3);
        fb.table().onTimeout(victim, later + 20_000);
        fb.table().onTimeout(victim, later + 20_001);
        assertThat(fb.table().entry(victim.id())).isEmpty();
        assertThat(fb.table().entry(fb.firstReplacement().id())).isPresent();
        // cache now empty: the next bad node stays until a newcomer takes its place
        NodeInfo victim2 = fb.members().get(4);
        fb.table().onTimeout(victim2, later + 30_000);
        fb.table().onTimeout(victim2, later + 30_001);
        assertThat(state(fb.table(), victim2.id(), later + 30_001)).isEqualTo(NodeState.BAD);
        assertThat(fb.table().onQuery(node(withCpl(fb.own(), 0, random)), later + 30_002))
                .as("a bad slot makes a stranger welcome").isTrue();
        NodeInfo fresh = node(withCpl(fb.own(), 0, random));
        assertThat(fb.table().onResponse(fresh, later + 30_003, 10)).isInstanceOf(RoutingTable.Insertion.Done.class);
        assertThat(fb.table().entry(fresh.id())).isPresent();
        assertThat(fb.table().entry(victim2.id())).isEmpty();
        assertThat(fb.table().size()).isEqualTo(K);
    }

    @Test
    void sameIdFromNewAddressDoesNotReplaceAGoodEntry() {
        Random random = new Random(10);
        RoutingTable table = new RoutingTable(NodeId.random(random));
        NodeInfo original = node(NodeId.random(random));
        table.onResponse(original, 0, 10);
        NodeInfo impostor = new NodeInfo(original.id(), freshAddress());
        table.onResponse(impostor, 1, 10);
        assertThat(table.entry(original.id()).orElseThrow().node().address()).isEqualTo(original.address());
        // still not while merely questionable
        table.onResponse(impostor, GOOD + 10, 10);
        assertThat(table.entry(original.id()).orElseThrow().node().address()).isEqualTo(original.address());
        // a timeout for the impostor's address must not count against the real entry
        table.onTimeout(impostor, GOOD + 20);
        table.onTimeout(impostor, GOOD + 21);
        assertThat(state(table, original.id(), GOOD + 21)).isNotEqualTo(NodeState.BAD);
        // once the old address is bad, the id may move
        table.onTimeout(original, GOOD + 30);
        table.onTimeout(original, GOOD + 31);
        table.onResponse(impostor, GOOD + 40, 10);
        assertThat(table.entry(original.id()).orElseThrow().node().address()).isEqualTo(impostor.address());
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void newIdOnAKnownAddressReplacesTheOldId() {
        Random random = new Random(11);
        RoutingTable table = new RoutingTable(NodeId.random(random));
        NodeInfo before = node(NodeId.random(random));
        table.onResponse(before, 0, 10);
        NodeInfo restarted = new NodeInfo(NodeId.random(random), before.address());
        table.onResponse(restarted, 1, 10);
        assertThat(table.entry(before.id())).isEmpty();
        assertThat(table.entry(restarted.id())).isPresent();
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void nodesThatOnlyQueryUsAreNotInserted() {
        Random random = new Random(12);
        RoutingTable table = new RoutingTable(NodeId.random(random));
        NodeInfo stranger = node(NodeId.random(random));
        assertThat(table.onQuery(stranger, 0)).as("room for it: welcome, verify with a ping").isTrue();
        assertThat(table.onQuery(stranger, 1)).isTrue();
        assertThat(table.size()).isZero();
        assertThat(table.entry(stranger.id())).isEmpty();
        table.onResponse(stranger, 2, 10);
        assertThat(table.onQuery(stranger, 3)).as("already known").isFalse();
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void removeDropsTheNode() {
        Random random = new Random(13);
        RoutingTable table = new RoutingTable(NodeId.random(random));
        NodeInfo n = node(NodeId.random(random));
        table.onResponse(n, 0, 10);
        table.remove(new NodeInfo(n.id(), freshAddress()));
        assertThat(table.entry(n.id())).as("remove needs the exact contact").isPresent();
        table.remove(n);
        assertThat(table.entry(n.id())).isEmpty();
        assertThat(table.size()).isZero();
    }

    @Test
    void rttIsSmoothed() {
        Random random = new Random(14);
        RoutingTable table = new RoutingTable(NodeId.random(random));
        NodeInfo n = node(NodeId.random(random));
        table.onResponse(n, 0, -1);
        assertThat(table.entry(n.id()).orElseThrow().rttMillis()).isEqualTo(-1);
        table.onResponse(n, 1, 80);
        assertThat(table.entry(n.id()).orElseThrow().rttMillis()).isEqualTo(80);
        table.onResponse(n, 2, 160);
        assertThat(table.entry(n.id()).orElseThrow().rttMillis()).isEqualTo(90);
    }

    // ---- refresh -------------------------------------------------------------------------------

    @Test
    void refreshTargetsFallInTheIdleBuckets() {
        Random random = new Random(15);
        NodeId own = NodeId.random(random);
        RoutingTable table = new RoutingTable(own);
        List<NodeInfo> cplZero = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            NodeInfo n = node(NodeId.randomWithPrefix(own, random.nextInt(12), random));
            table.onResponse(n, 0, 10);
            if (own.commonPrefixLength(n.id()) == 0) {
                cplZero.add(n);
            }
        }
        int buckets = table.bucketCount();
        assertThat(buckets).isGreaterThan(4);
        NodeInfo inBucketZero = table.entries().stream().map(RoutingEntry::node)
                .filter(n -> own.commonPrefixLength(n.id()) == 0).findFirst().orElseThrow();
        table.onResponse(inBucketZero, 10 * MIN, 10); // bucket 0 changed 10 minutes in

        long now = 16 * MIN;
        List<NodeId> targets = table.refreshTargets(now, 15 * MIN, random);
        int last = buckets - 1;
        Set<Integer> hit = targets.stream().map(t -> Math.min(own.commonPrefixLength(t), last))
                .collect(Collectors.toSet());
        Set<Integer> idle = Stream.iterate(1, i -> i <= last, i -> i + 1).collect(Collectors.toSet());
        assertThat(targets).hasSize(idle.size());
        assertThat(hit).isEqualTo(idle);
        assertThat(table.refreshTargets(now, 15 * MIN, random)).as("refreshed buckets are not idle").isEmpty();
        assertThat(table.refreshTargets(now + 15 * MIN, 15 * MIN, random)).hasSize(buckets);
    }

    @Test
    void refreshTargetsAreRandom() {
        Random random = new Random(16);
        RoutingTable table = new RoutingTable(NodeId.random(random));
        List<NodeId> a = table.refreshTargets(GOOD, GOOD, random);
        List<NodeId> b = table.refreshTargets(2 * GOOD, GOOD, random);
        assertThat(a).hasSize(1);
        assertThat(b).hasSize(1);
        assertThat(a.get(0)).isNotEqualTo(b.get(0));
    }

    // ---- persistence ---------------------------------------------------------------------------

    @Test
    void saveAndLoadRoundTrip(@TempDir Path dir) throws Exception {
        Random random = new Random(17);
        NodeId own = NodeId.random(random);
        List<NodeInfo> nodes = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            nodes.add(node(NodeId.random(random)));
        }
        nodes.add(new NodeInfo(NodeId.random(random), new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 6881)));
        nodes.add(new NodeInfo(NodeId.random(random), new InetSocketAddress(InetAddress.getByName("fe80::2"), 1)));
        Path file = dir.resolve("sub").resolve("dht.state");
        RoutingTableFile.save(file, own, nodes);
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files.toList()).as("no temporary file left behind").containsExactly(file);
        }

        Optional<RoutingTableFile.State> loaded = RoutingTableFile.load(file);
        assertThat(loaded).isPresent();
        assertThat(loaded.get().id()).isEqualTo(own);
        assertThat(loaded.get().nodes()).containsExactlyInAnyOrderElementsOf(nodes);

        // saving again replaces the file
        RoutingTableFile.save(file, own, nodes.subList(0, 2));
        assertThat(RoutingTableFile.load(file).orElseThrow().nodes()).containsExactlyElementsOf(nodes.subList(0, 2));
    }

    @Test
    void saveTableEntriesAndRebuild(@TempDir Path dir) throws Exception {
        Random random = new Random(18);
        NodeId own = NodeId.random(random);
        RoutingTable table = new RoutingTable(own);
        for (int i = 0; i < 300; i++) {
            table.onResponse(node(NodeId.random(random)), i, 10);
        }
        Path file = dir.resolve("dht.state");
        RoutingTableFile.save(file, own, table.entries().stream().map(RoutingEntry::node).toList());
        RoutingTableFile.State state = RoutingTableFile.load(file).orElseThrow();
        RoutingTable rebuilt = new RoutingTable(state.id());
        for (NodeInfo n : state.nodes()) {
            rebuilt.onResponse(n, 0, -1);
        }
        assertThat(entryIds(rebuilt)).containsExactlyInAnyOrderElementsOf(entryIds(table));
    }

    @Test
    void missingFileIsEmpty(@TempDir Path dir) throws Exception {
        assertThat(RoutingTableFile.load(dir.resolve("nope"))).isEmpty();
    }

    @Test
    void corruptFilesAreIOExceptions(@TempDir Path dir) throws Exception {
        NodeId own = NodeId.random(new Random(19));
        Path good = dir.resolve("good");
        RoutingTableFile.save(good, own, List.of(node(NodeId.random(new Random(20)))));
        byte[] valid = Files.readAllBytes(good);

        byte[] garbage = new byte[500];
        new Random(21).nextBytes(garbage);
        List<byte[]> corrupt = List.of(
                garbage,
                "not bencode at all".getBytes(StandardCharsets.US_ASCII),
                java.util.Arrays.copyOf(valid, valid.length - 3),   // torn
                "i42e".getBytes(StandardCharsets.US_ASCII),           // bencode, not a dict
                "d6:formati1ee".getBytes(StandardCharsets.US_ASCII),  // no id
                "d2:id3:abce".getBytes(StandardCharsets.US_ASCII),    // id of the wrong length
                new byte[0]);
        int i = 0;
        for (byte[] content : corrupt) {
            Path file = dir.resolve("corrupt" + i++);
            Files.write(file, content);
            assertThatThrownBy(() -> RoutingTableFile.load(file)).as("content %d", i).isInstanceOf(IOException.class);
        }
    }

    @Test
    void oversizedFileIsAnIOException(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("huge");
        Files.write(file, new byte[(1 << 20) + 1]);
        assertThatThrownBy(() -> RoutingTableFile.load(file)).isInstanceOf(IOException.class);
    }

    @Test
    void idsHelperProducesExactCpl() {
        // guards the helper the bucket tests rely on
        Random random = new Random(22);
        NodeId own = NodeId.random(random);
        Set<Integer> seen = new HashSet<>();
        for (int cpl = 0; cpl < NodeId.BITS; cpl++) {
            seen.add(own.commonPrefixLength(withCpl(own, cpl, random)));
        }
        assertThat(seen).hasSize(NodeId.BITS);
    }
}
