package dev.scout.dht.node;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * What a node can tell about its own reachability (see {@code NodeCore#observeReachability}).
 *
 * @param unsolicitedQueries queries received from addresses this node had not sent anything to in the
 *                           last {@link RecentDestinations#WINDOW_MILLIS} ms: traffic a NAT or firewall
 *                           would have dropped, so proof that strangers can reach this node
 * @param votes              the external addresses other nodes reported ({@code ip}, BEP 42), by how many
 *                           voters reported each; one IP with many ports means a symmetric NAT
 * @param readOnly           whether the node currently runs read-only (BEP 43)
 */
public record Reachability(long unsolicitedQueries, Map<InetSocketAddress, Integer> votes, boolean readOnly) {
    public Reachability {
        votes = Map.copyOf(votes);
    }
}
