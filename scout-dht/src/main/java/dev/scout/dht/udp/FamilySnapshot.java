package dev.scout.dht.udp;

import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;

import dev.scout.dht.node.FamilyPolicy;

import java.util.ArrayList;
import java.util.List;

/**
 * An immutable copy of one family's routing table, published by its node's loop every second and read
 * by the other family's loop to answer BEP 32 {@code want}. Sharing an immutable list through a volatile
 * field keeps the two loops free of shared mutable state. A lookup sorts at most one table (≤ 160·8
 * contacts), so its cost is bounded however busy the node is.
 */
final class FamilySnapshot {
    /** Below this many contacts a family's table is "thin" and asks the other family for contacts. */
    static final int THIN = 16;

    private volatile List<NodeInfo> nodes = List.of();

    void publish(List<NodeInfo> table) {
        nodes = List.copyOf(table);
    }

    List<NodeInfo> closest(NodeId target, int count) {
        List<NodeInfo> copy = new ArrayList<>(nodes);
        copy.sort((a, b) -> target.compareDistance(a.id(), b.id()));
        return copy.size() <= count ? copy : List.copyOf(copy.subList(0, count));
    }

    int size() {
        return nodes.size();
    }

    /** The other family's node as seen from one core's loop. */
    static final class Sibling implements FamilyPolicy.Sibling {
        private final DhtNode other;

        Sibling(DhtNode other) {
            this.other = other;
        }

        @Override
        public List<NodeInfo> closest(NodeId target, int count) {
            FamilySnapshot s = other.sibling().snapshot();
            return s == null ? List.of() : s.closest(target, count);
        }

        @Override
        public boolean wantsContacts() {
            FamilySnapshot s = other.sibling().snapshot();
            return s != null && s.size() < THIN;
        }

        @Override
        public void learned(List<NodeInfo> contacts) {
            other.sibling().learned(contacts);
        }
    }
}
