package dev.scout.dht.storage;

import dev.scout.dht.NodeId;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Peers announced with BEP 5 {@code announce_peer}: per info-hash, each expires 30 minutes after its
 * last announce. Bounded per info-hash and in total; when full, the oldest announcement makes way.
 */
public final class PeerStore {
    public static final long PEER_TTL_MILLIS = 30 * 60_000L;

    private final int maxPeersPerInfoHash;
    private final int maxInfoHashes;
    /** Per info-hash, peers in announce order (oldest first), value = expiry time. */
    private final Map<NodeId, LinkedHashMap<InetSocketAddress, Long>> swarms = new HashMap<>();

    public PeerStore(int maxPeersPerInfoHash, int maxInfoHashes) {
        this.maxPeersPerInfoHash = maxPeersPerInfoHash;
        this.maxInfoHashes = maxInfoHashes;
    }

    public void announce(NodeId infoHash, InetSocketAddress peer, long now) {
        LinkedHashMap<InetSocketAddress, Long> swarm = swarms.get(infoHash);
        if (swarm == null) {
            if (swarms.size() >= maxInfoHashes) {
                expire(now);
                if (swarms.size() >= maxInfoHashes) {
                    return; // full of live swarms: refuse rather than drop someone's live data
                }
            }
            swarm = new LinkedHashMap<>();
            swarms.put(infoHash, swarm);
        }
        swarm.remove(peer); // re-insert so announce order stays oldest-first
        if (swarm.size() >= maxPeersPerInfoHash) {
            Iterator<InetSocketAddress> oldest = swarm.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        swarm.put(peer, now + PEER_TTL_MILLIS);
    }

    /** Up to {@code max} live peers for {@code infoHash}, a random sample when there are more. */
    public List<InetSocketAddress> peers(NodeId infoHash, int max, long now, Random random) {
        LinkedHashMap<InetSocketAddress, Long> swarm = swarms.get(infoHash);
        if (swarm == null) {
            return List.of();
        }
        List<InetSocketAddress> live = new ArrayList<>(swarm.size());
        for (Map.Entry<InetSocketAddress, Long> e : swarm.entrySet()) {
            if (e.getValue() > now) {
                live.add(e.getKey());
            }
        }
        if (live.size() > max) {
            Collections.shuffle(live, random);
            return List.copyOf(live.subList(0, max));
        }
        return live;
    }

    /** Drops expired peers and empty swarms. */
    public void expire(long now) {
        Iterator<LinkedHashMap<InetSocketAddress, Long>> it = swarms.values().iterator();
        while (it.hasNext()) {
            LinkedHashMap<InetSocketAddress, Long> swarm = it.next();
            swarm.values().removeIf(expiry -> expiry <= now);
            if (swarm.isEmpty()) {
                it.remove();
            }
        }
    }

    public int infoHashCount() {
        return swarms.size();
    }

    public int peerCount() {
        int n = 0;
        for (LinkedHashMap<InetSocketAddress, Long> s : swarms.values()) {
            n += s.size();
        }
        return n;
    }
}
