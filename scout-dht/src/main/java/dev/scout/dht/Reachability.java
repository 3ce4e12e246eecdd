package dev.scout.dht;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * What a node can tell about its own reachability ({@code DhtNode.reachability()}).
 *
 * @param unsolicitedQueries queries received from addresses this node had not sent anything to in the
 *                           last few minutes: traffic a NAT or firewall
 *                           would have dropped, so proof that strangers can reach this node
 * @param votes              the external addresses other nodes reported ({@code ip}, BEP 42), by how many
 *                           voters reported each; one IP with many ports means a symmetric NAT
 * @param readOnly           whether the node currently runs read-only (BEP 43)
 */
public record Reachability(long unsolicitedQueries, Map<InetSocketAddress, Integer> votes, boolean readOnly) {
    /**
     * Copies {@code votes}.
     *
     * @param unsolicitedQueries queries from addresses this node had not contacted recently
     * @param votes the external addresses other nodes reported, with their counts
     * @param readOnly whether the node runs read-only
     */
    public Reachability {
        votes = Map.copyOf(votes);
    }
}
