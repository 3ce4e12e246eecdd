package dev.scout.dht.server;

import dev.scout.dht.storage.PeerStore;

/**
 * Bounds on what other nodes can make this node store through {@code announce_peer}; BEP 44 item
 * limits are in {@code DhtConfig}. The defaults hold about 130,000 peers in at most 32 MiB.
 *
 * @param maxPeersPerInfoHash      peers kept per info-hash (oldest announcement makes way)
 * @param maxInfoHashes            info-hashes kept (new ones refused when full of live peers)
 * @param maxPeersPerIpPerInfoHash peers one source IP may hold in one info-hash (its own oldest makes way)
 * @param maxPeerBytes             bound on the peer store's estimated heap ({@link PeerStore#bytes()})
 * @param maxAnnouncesPerIpPerMinute announces accepted from one IP per minute (token bucket, same burst)
 */
public record ServerLimits(int maxPeersPerInfoHash, int maxInfoHashes, int maxPeersPerIpPerInfoHash,
                           long maxPeerBytes, int maxAnnouncesPerIpPerMinute) {

    /** 200 peers × 5,000 info-hashes, 8 per IP, 32 MiB, 60 announces per IP per minute. */
    public static final ServerLimits DEFAULT = new ServerLimits(200, 5_000, PeerStore.DEFAULT_MAX_PEERS_PER_IP,
            32L << 20, 60);

    public ServerLimits {
        if (maxPeersPerInfoHash < 1 || maxInfoHashes < 1 || maxPeersPerIpPerInfoHash < 1 || maxPeerBytes < 1
                || maxAnnouncesPerIpPerMinute < 1) {
            throw new IllegalArgumentException("server limits must be positive");
        }
    }

    /** An empty peer store with these bounds. */
    public PeerStore newPeerStore() {
        return new PeerStore(maxPeersPerInfoHash, maxInfoHashes, maxPeersPerIpPerInfoHash, maxPeerBytes);
    }
}
