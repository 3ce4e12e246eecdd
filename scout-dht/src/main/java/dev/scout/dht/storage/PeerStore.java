package dev.scout.dht.storage;

import dev.scout.dht.NodeId;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Peers announced with BEP 5 {@code announce_peer}: per info-hash, each expires 30 minutes after its
 * last announce.
 *
 * <p>Bounded four ways, so that no announcer can take more than its share: peers per info-hash (the
 * oldest announcement makes way), peers per source IP per info-hash (one host announcing many ports
 * replaces only its own oldest entry, never another host's), info-hashes, and an estimate of the
 * heap the whole store takes (new peers are refused when it is reached; see {@link #bytes()}).
 *
 * <p><b>Cost per announce is O(1)</b> (plus a scan of at most one swarm when an IP is at its cap),
 * however many peers are stored: every peer is also on one list in announce order, which is expiry
 * order, so expiry pops from its head instead of walking the store. That assumes the clock passed in
 * never goes backwards (the node's loop clock). Called only from the node's loop.
 */
public final class PeerStore {
    public static final long PEER_TTL_MILLIS = 30 * 60_000L;
    /** Peers one IP may hold in one swarm by default (several clients behind one NAT still fit). */
    public static final int DEFAULT_MAX_PEERS_PER_IP = 8;
    /** Estimated heap per stored peer: its entry, the swarm's map entry, the address objects. */
    public static final int PEER_BYTES = 240;
    /** Estimated heap per swarm beyond its peers: the id, maps, and the entry in the swarm map. */
    public static final int SWARM_BYTES = 320;

    private final int maxPeersPerInfoHash;
    private final int maxInfoHashes;
    private final int maxPeersPerIp;
    private final long maxBytes;
    private final Map<NodeId, Swarm> swarms = new HashMap<>();
    /** Every peer, oldest announcement first: the order they expire in. */
    private Peer oldest;
    private Peer newest;
    private int peerCount;
    private long scanned;

    private static final class Swarm {
        final NodeId infoHash;
        /** Oldest announcement first. */
        final LinkedHashMap<InetSocketAddress, Peer> peers = new LinkedHashMap<>();
        final Map<InetAddress, Integer> perIp = new HashMap<>();

        Swarm(NodeId infoHash) {
            this.infoHash = infoHash;
        }
    }

    private static final class Peer {
        final Swarm swarm;
        final InetSocketAddress address;
        long expiry;
        Peer older;
        Peer newer;

        Peer(Swarm swarm, InetSocketAddress address) {
            this.swarm = swarm;
            this.address = address;
        }
    }

    /** A store with the default per-IP cap and no byte bound beyond the two counts. */
    public PeerStore(int maxPeersPerInfoHash, int maxInfoHashes) {
        this(maxPeersPerInfoHash, maxInfoHashes, DEFAULT_MAX_PEERS_PER_IP, Long.MAX_VALUE);
    }

    /**
     * @param maxPeersPerInfoHash peers kept per info-hash
     * @param maxInfoHashes       info-hashes kept
     * @param maxPeersPerIp       peers one IP may hold in one info-hash
     * @param maxBytes            bound on {@link #bytes()}
     */
    public PeerStore(int maxPeersPerInfoHash, int maxInfoHashes, int maxPeersPerIp, long maxBytes) {
        if (maxPeersPerInfoHash < 1 || maxInfoHashes < 1 || maxPeersPerIp < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("peer store limits must be positive");
        }
        this.maxPeersPerInfoHash = maxPeersPerInfoHash;
        this.maxInfoHashes = maxInfoHashes;
        this.maxPeersPerIp = maxPeersPerIp;
        this.maxBytes = maxBytes;
    }

    /**
     * Stores or refreshes {@code peer} in {@code infoHash}'s swarm.
     *
     * @return false if refused: the store is full (info-hashes or bytes) of live peers; a peer
     *         already stored is always refreshed
     */
    public boolean announce(NodeId infoHash, InetSocketAddress peer, long now) {
        expire(now);
        Swarm swarm = swarms.get(infoHash);
        Peer existing = swarm == null ? null : swarm.peers.get(peer);
        if (existing != null) {
            unlink(existing);
            swarm.peers.remove(peer); // re-inserted last: announce order stays oldest-first
            swarm.peers.put(peer, existing);
            append(existing, now);
            return true;
        }
        if (swarm == null) {
            if (swarms.size() >= maxInfoHashes || bytes() + SWARM_BYTES + PEER_BYTES > maxBytes) {
                return false; // full of live data: refuse rather than drop someone's
            }
            swarm = new Swarm(infoHash);
            swarms.put(infoHash, swarm);
        } else if (swarm.perIp.getOrDefault(peer.getAddress(), 0) >= maxPeersPerIp) {
            remove(oldestOf(swarm, peer.getAddress()), false); // the host replaces its own oldest port
        } else if (swarm.peers.size() >= maxPeersPerInfoHash) {
            remove(swarm.peers.values().iterator().next(), false);
        } else if (bytes() + PEER_BYTES > maxBytes) {
            return false;
        }
        Peer p = new Peer(swarm, peer);
        swarm.peers.put(peer, p);
        swarm.perIp.merge(peer.getAddress(), 1, Integer::sum);
        append(p, now);
        peerCount++;
        return true;
    }

    private Peer oldestOf(Swarm swarm, InetAddress ip) {
        for (Peer p : swarm.peers.values()) {
            scanned++;
            if (p.address.getAddress().equals(ip)) {
                return p;
            }
        }
        throw new IllegalStateException("per-IP count out of step with the swarm");
    }

    /** Puts {@code p} on the expiry list: at its tail, unless the clock went backwards. */
    private void append(Peer p, long now) {
        p.expiry = now + PEER_TTL_MILLIS;
        Peer before = newest;
        while (before != null && before.expiry > p.expiry) {
            before = before.older; // only with a clock that went backwards (tests); O(1) otherwise
        }
        p.older = before;
        p.newer = before == null ? oldest : before.newer;
        if (p.older != null) {
            p.older.newer = p;
        } else {
            oldest = p;
        }
        if (p.newer != null) {
            p.newer.older = p;
        } else {
            newest = p;
        }
    }

    private void unlink(Peer p) {
        if (p.older != null) {
            p.older.newer = p.newer;
        } else {
            oldest = p.newer;
        }
        if (p.newer != null) {
            p.newer.older = p.older;
        } else {
            newest = p.older;
        }
        p.older = null;
        p.newer = null;
    }

    /** @param dropEmptySwarm false when a newcomer takes the place at once */
    private void remove(Peer p, boolean dropEmptySwarm) {
        unlink(p);
        Swarm swarm = p.swarm;
        swarm.peers.remove(p.address);
        swarm.perIp.computeIfPresent(p.address.getAddress(), (ip, n) -> n == 1 ? null : n - 1);
        peerCount--;
        if (dropEmptySwarm && swarm.peers.isEmpty()) {
            swarms.remove(swarm.infoHash);
        }
    }

    /** Up to {@code max} live peers for {@code infoHash}, a random sample when there are more. */
    public List<InetSocketAddress> peers(NodeId infoHash, int max, long now, Random random) {
        Swarm swarm = swarms.get(infoHash);
        if (swarm == null) {
            return List.of();
        }
        List<InetSocketAddress> live = new ArrayList<>(swarm.peers.size());
        for (Peer p : swarm.peers.values()) {
            if (p.expiry > now) {
                live.add(p.address);
            }
        }
        if (live.size() > max) {
            Collections.shuffle(live, random);
            return List.copyOf(live.subList(0, max));
        }
        return live;
    }

    /** Drops expired peers and empty swarms: O(1) per peer dropped. */
    public void expire(long now) {
        while (oldest != null && oldest.expiry <= now) {
            scanned++;
            remove(oldest, true);
        }
    }

    public int infoHashCount() {
        return swarms.size();
    }

    public int peerCount() {
        return peerCount;
    }

    /**
     * Estimated heap taken by the store ({@link #PEER_BYTES} per peer, {@link #SWARM_BYTES} per
     * info-hash); the byte bound applies to this figure. The flood benchmark measures the real one.
     */
    public long bytes() {
        return (long) peerCount * PEER_BYTES + (long) swarms.size() * SWARM_BYTES;
    }

    /** Peers examined by expiry and per-IP replacement so far: a cost counter for tests and benchmarks. */
    public long scanned() {
        return scanned;
    }
}
