package dev.scout.dht.udp;

import dev.scout.dht.NodeInfo;
import dev.scout.dht.node.DhtOperations;
import dev.scout.dht.node.NodeCore;
import dev.scout.dht.routing.RoutingEntry;

import java.util.List;

/**
 * The loop-side half of a dual-stack pairing (see {@link DhtNode#pairWith}): publishing this family's
 * table for the sibling and pinging the contacts the sibling hands over. Every method runs on the
 * owning node's I/O loop.
 */
final class SiblingSupport {
    private SiblingSupport() {
    }

    /** {@return the nodes in {@code core}'s routing table} */
    static List<NodeInfo> tableNodes(NodeCore core) {
        return core.routingTable().entries().stream().map(RoutingEntry::node).toList();
    }

    /** Publishes the routing table for the sibling's loop to read, now and every second. */
    static void publishEverySecond(NodeCore core, FamilySnapshot target) {
        target.publish(tableNodes(core));
        core.schedule(core.now() + 1_000, () -> publishEverySecond(core, target));
    }

    /** Pings contacts of our family that the sibling heard of, while our table is thin. */
    static void pingLearned(NodeCore core, DhtOperations ops, List<NodeInfo> contacts) {
        if (core.routingTable().size() >= FamilySnapshot.THIN) {
            return;
        }
        int budget = 8;
        for (NodeInfo n : contacts) {
            if (budget-- == 0 || core.pendingRequests() > 256) {
                break;
            }
            if (core.routingTable().entry(n.id()).isEmpty()) {
                ops.ping(n.address()); // answers enter the table like any verified node
            }
        }
    }
}
