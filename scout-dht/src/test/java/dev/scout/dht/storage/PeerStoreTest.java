package dev.scout.dht.storage;

import dev.scout.dht.NodeId;
import dev.scout.testkit.RandomCases;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static dev.scout.dht.storage.PeerStore.PEER_TTL_MILLIS;
import static org.assertj.core.api.Assertions.assertThat;

/** Announced peers: 30-minute expiry, per-swarm and swarm-count caps, random sampling. */
class PeerStoreTest {
    static final long MIN = 60_000L;
    static final NodeId HASH = NodeId.parse("8187911bd9fd8cd6add811c1669370f8fd773788");
    static final NodeId OTHER = NodeId.parse("0000000000000000000000000000000000000001");

    static InetSocketAddress peer(int n) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, (byte) (n >>> 16), (byte) (n >>> 8),
                    (byte) n}), 6881 + (n % 1000));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static List<InetSocketAddress> all(PeerStore store, NodeId hash, long now) {
        return store.peers(hash, Integer.MAX_VALUE, now, new Random(0));
    }

    @Test
    void peersExpireThirtyMinutesAfterTheirLastAnnounce() {
        PeerStore store = new PeerStore(100, 100);
        store.announce(HASH, peer(1), 0);
        store.announce(HASH, peer(2), 10 * MIN);
        assertThat(all(store, HASH, PEER_TTL_MILLIS - 1)).containsExactly(peer(1), peer(2));
        assertThat(all(store, HASH, PEER_TTL_MILLIS)).containsExactly(peer(2));
        assertThat(all(store, HASH, 10 * MIN + PEER_TTL_MILLIS)).isEmpty();
        assertThat(PEER_TTL_MILLIS).isEqualTo(30 * MIN);
    }

    @Test
    void reannouncingRefreshesTheExpiry() {
        PeerStore store = new PeerStore(100, 100);
        store.announce(HASH, peer(1), 0);
        store.announce(HASH, peer(1), 20 * MIN);
        assertThat(all(store, HASH, 45 * MIN)).containsExactly(peer(1));
        assertThat(all(store, HASH, 50 * MIN)).isEmpty();
        assertThat(store.peerCount()).isEqualTo(1);
    }

    @Test
    void swarmsAreSeparate() {
        PeerStore store = new PeerStore(100, 100);
        store.announce(HASH, peer(1), 0);
        store.announce(OTHER, peer(2), 0);
        assertThat(all(store, HASH, 1)).containsExactly(peer(1));
        assertThat(all(store, OTHER, 1)).containsExactly(peer(2));
        assertThat(all(store, NodeId.parse("ffffffffffffffffffffffffffffffffffffffff"), 1)).isEmpty();
        assertThat(store.infoHashCount()).isEqualTo(2);
    }

    @Test
    void expireDropsDeadPeersAndEmptySwarms() {
        PeerStore store = new PeerStore(100, 100);
        store.announce(HASH, peer(1), 0);
        store.announce(HASH, peer(2), 5 * MIN);
        store.announce(OTHER, peer(3), 0);
        store.expire(PEER_TTL_MILLIS);
        assertThat(store.peerCount()).isEqualTo(1);
        assertThat(store.infoHashCount()).isEqualTo(1);
        store.expire(5 * MIN + PEER_TTL_MILLIS);
        assertThat(store.peerCount()).isZero();
        assertThat(store.infoHashCount()).isZero();
    }

    @Test
    void fullSwarmEvictsTheOldestAnnouncement() {
        PeerStore store = new PeerStore(3, 100);
        store.announce(HASH, peer(1), 0);
        store.announce(HASH, peer(2), 1);
        store.announce(HASH, peer(3), 2);
        store.announce(HASH, peer(1), 3); // peer 1 is now the newest
        store.announce(HASH, peer(4), 4);
        assertThat(all(store, HASH, 5)).containsExactlyInAnyOrder(peer(1), peer(3), peer(4));
        store.announce(HASH, peer(5), 5);
        assertThat(all(store, HASH, 6)).containsExactlyInAnyOrder(peer(1), peer(4), peer(5));
        assertThat(store.peerCount()).isEqualTo(3);
    }

    @Test
    void fullStoreRefusesNewSwarmsUntilOthersExpire() {
        PeerStore store = new PeerStore(10, 2);
        store.announce(HASH, peer(1), 0);
        store.announce(OTHER, peer(2), 10 * MIN);
        NodeId third = NodeId.parse("0000000000000000000000000000000000000003");
        store.announce(third, peer(3), 20 * MIN);
        assertThat(all(store, third, 20 * MIN)).isEmpty();
        assertThat(all(store, HASH, 20 * MIN)).containsExactly(peer(1));
        assertThat(store.infoHashCount()).isEqualTo(2);
        // existing swarms still accept peers
        store.announce(HASH, peer(4), 20 * MIN);
        assertThat(all(store, HASH, 20 * MIN)).containsExactly(peer(1), peer(4));
        // at 40 minutes OTHER's only peer has expired, which frees a swarm slot
        store.announce(third, peer(3), 40 * MIN);
        assertThat(all(store, third, 40 * MIN)).containsExactly(peer(3));
        assertThat(all(store, OTHER, 40 * MIN)).isEmpty();
        assertThat(store.infoHashCount()).isEqualTo(2);
    }

    @Test
    void sampleIsAtMostMaxDistinctLivePeers() {
        PeerStore store = new PeerStore(500, 10);
        Set<InetSocketAddress> announced = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            store.announce(HASH, peer(i), i);
            announced.add(peer(i));
        }
        Random random = new Random(1);
        Set<InetSocketAddress> seen = new HashSet<>();
        for (int round = 0; round < 20; round++) {
            List<InetSocketAddress> sample = store.peers(HASH, 50, 1_000, random);
            assertThat(sample).hasSize(50).doesNotHaveDuplicates();
            assertThat(announced).containsAll(sample);
            seen.addAll(sample);
        }
        assertThat(seen).as("samples differ between calls").hasSizeGreaterThan(100);
        assertThat(store.peers(HASH, 0, 1_000, random)).isEmpty();
    }

    @Test
    void sampleSkipsExpiredPeers() {
        PeerStore store = new PeerStore(500, 10);
        for (int i = 0; i < 60; i++) {
            store.announce(HASH, peer(i), i < 40 ? 0 : 10 * MIN);
        }
        List<InetSocketAddress> sample = store.peers(HASH, 50, PEER_TTL_MILLIS, new Random(2));
        assertThat(sample).hasSize(20);
        for (InetSocketAddress p : sample) {
            assertThat(p.getAddress().getAddress()[3] & 0xFF).isGreaterThanOrEqualTo(40);
        }
    }

    static InetSocketAddress port(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void oneIpAnnouncingManyPortsReplacesOnlyItsOwnEntries() {
        PeerStore store = new PeerStore(200, 100, 8, Long.MAX_VALUE);
        InetSocketAddress victim = port("198.51.100.1", 6881);
        store.announce(HASH, victim, 0);
        long before = store.scanned();
        for (int p = 1; p <= 10_000; p++) {
            assertThat(store.announce(HASH, port("203.0.113.66", p), p)).isTrue();
        }
        List<InetSocketAddress> held = all(store, HASH, 10_001);
        assertThat(held).contains(victim).hasSize(9);
        assertThat(held).filteredOn(a -> !a.equals(victim)).extracting(InetSocketAddress::getPort)
                .containsExactlyInAnyOrder(9_993, 9_994, 9_995, 9_996, 9_997, 9_998, 9_999, 10_000);
        // Finding the host's own oldest entry walks past the victim only: a bounded scan.
        assertThat(store.scanned() - before).isLessThanOrEqualTo(2L * 10_000);
    }

    @Test
    void anAnnounceForANewInfoHashCostsTheSameWithManyPeersStored() {
        PeerStore store = new PeerStore(200, 5_000, 8, Long.MAX_VALUE);
        Random random = new Random(4);
        // 100,000 live peers in 5,000 swarms: the store is full of info-hashes.
        for (int i = 0; i < 100_000; i++) {
            assertThat(store.announce(NodeId.of(swarm(i % 5_000)), peer(i), i / 100)).isTrue();
        }
        assertThat(store.peerCount()).isEqualTo(100_000);
        long before = store.scanned();
        for (int i = 0; i < 1_000; i++) {
            assertThat(store.announce(NodeId.random(random), peer(200_000 + i), 1_000 + i)).isFalse();
        }
        // It used to walk every peer looking for expired ones on each such announce.
        assertThat(store.scanned()).isEqualTo(before);
        assertThat(store.infoHashCount()).isEqualTo(5_000);
    }

    static byte[] swarm(int n) {
        byte[] id = new byte[20];
        id[0] = (byte) (n >>> 8);
        id[1] = (byte) n;
        id[19] = 7;
        return id;
    }

    @Test
    void theByteBoundRefusesNewPeersButRefreshesKnownOnes() {
        long max = 10L * PeerStore.PEER_BYTES + 2L * PeerStore.SWARM_BYTES;
        PeerStore store = new PeerStore(200, 100, 8, max);
        int stored = 0;
        for (int i = 0; i < 100; i++) {
            stored += store.announce(i % 2 == 0 ? HASH : OTHER, peer(i), i) ? 1 : 0;
        }
        assertThat(stored).isEqualTo(10);
        assertThat(store.bytes()).isLessThanOrEqualTo(max);
        assertThat(store.announce(HASH, peer(0), 200)).as("a stored peer is refreshed").isTrue();
        NodeId third = NodeId.parse("0000000000000000000000000000000000000003");
        assertThat(store.announce(third, peer(500), 200)).isFalse();
        // Room comes back as peers expire.
        assertThat(store.announce(third, peer(500), PEER_TTL_MILLIS + 150)).isTrue();
        assertThat(store.bytes()).isLessThanOrEqualTo(max);
    }

    /** Against a model: the newest announcement of each of at most cap peers per swarm, alive for 30 min. */
    private record ModelRun(long seed, int cap) {
    }

    @Test
    void matchesAModel() {
        RandomCases.forAll(List.of(new ModelRun(0, 1), new ModelRun(-1, 8)), 100,
                r -> new ModelRun(RandomCases.longs(r), RandomCases.ints(r, 1, 8)), c -> matchesAModel(c.seed(), c.cap()));
    }

    private void matchesAModel(long seed, int cap) {
        Random random = new Random(seed);
        PeerStore store = new PeerStore(cap, 1_000);
        NodeId[] hashes = {HASH, OTHER};
        Map<NodeId, LinkedHashMap<InetSocketAddress, Long>> model = new java.util.HashMap<>();
        long now = 0;
        for (int step = 0; step < 300; step++) {
            now += random.nextInt((int) (4 * MIN));
            NodeId h = hashes[random.nextInt(2)];
            InetSocketAddress p = peer(random.nextInt(12));
            store.announce(h, p, now);
            LinkedHashMap<InetSocketAddress, Long> swarm = model.computeIfAbsent(h, k -> new LinkedHashMap<>());
            swarm.remove(p);
            if (swarm.size() >= cap) {
                swarm.remove(swarm.keySet().iterator().next());
            }
            swarm.put(p, now);
            if (random.nextInt(10) == 0) {
                store.expire(now);
                long at = now;
                model.values().forEach(m -> m.values().removeIf(announced -> at - announced >= PEER_TTL_MILLIS));
            }
            for (NodeId x : hashes) {
                long at = now;
                List<InetSocketAddress> expected = new ArrayList<>();
                model.getOrDefault(x, new LinkedHashMap<>()).forEach((peer, announced) -> {
                    if (at - announced < PEER_TTL_MILLIS) {
                        expected.add(peer);
                    }
                });
                assertThat(all(store, x, now)).containsExactlyInAnyOrderElementsOf(expected);
                assertThat(store.peers(x, 2, now, random)).hasSize(Math.min(2, expected.size()));
            }
        }
    }
}
