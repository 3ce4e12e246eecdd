package dev.scout.dht;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * What an announce achieved.
 *
 * @param stored how many of the closest nodes accepted the announcement
 * @param peers  peers already known for the info-hash, found on the way
 */
public record AnnounceResult(int stored, List<InetSocketAddress> peers) {
    /**
     * Copies {@code peers}.
     *
     * @param stored how many of the closest nodes accepted the announcement
     * @param peers peers already known for the info-hash, found on the way
     */
    public AnnounceResult {
        peers = List.copyOf(peers);
    }
}
