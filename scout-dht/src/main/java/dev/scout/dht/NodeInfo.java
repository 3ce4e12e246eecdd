package dev.scout.dht;

import java.net.InetSocketAddress;

/**
 * A DHT contact: the node's id and the UDP address it answers on.
 *
 * @param id      the node's id
 * @param address the UDP address it answers on
 */
public record NodeInfo(NodeId id, InetSocketAddress address) {
    /**
     * Checks that neither part is null.
     *
     * @param id      the node's id
     * @param address the UDP address it answers on
     */
    public NodeInfo {
        if (id == null || address == null) {
            throw new IllegalArgumentException("id and address are required");
        }
    }

    @Override
    public String toString() {
        return id.toHex().substring(0, 8) + "@" + Addresses.format(address);
    }
}
