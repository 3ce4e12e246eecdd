package dev.scout.dht.lookup;

import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.routing.RoutingTable;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Traversal}'s defence against a Sybil cluster placed next to its target: nodes whose id is
 * suspiciously close to the target are asked but do not count towards K, and once one turns up the
 * lookup wants twice as many ordinary nodes (docs/protocol-notes.md). Loop thread only.
 */
final class SybilGuard {
    private final NodeId target;
    /** Ids sharing at least this many leading bits with the target are suspiciously close. */
    private int suspiciousBits = NodeId.BITS + 1;
    /** Set once a suspiciously close node turned up. */
    private boolean underAttack;

    SybilGuard(NodeId target) {
        this.target = target;
    }

    /** Sets the threshold when the lookup starts (it depends on the routing table's depth then). */
    void start(int suspiciousPrefixBits) {
        this.suspiciousBits = suspiciousPrefixBits;
    }

    boolean isSuspicious(NodeInfo node) {
        boolean suspicious = node.id().commonPrefixLength(target) >= suspiciousBits;
        underAttack |= suspicious;
        return suspicious;
    }

    /** See {@link Traversal#wanted()}. */
    int wanted() {
        return underAttack ? 2 * RoutingTable.K : RoutingTable.K;
    }

    /** See {@link Traversal#untilKCounted(List)}. */
    List<Candidate> untilKCounted(List<Candidate> responded) {
        List<Candidate> out = new ArrayList<>();
        int counted = 0;
        int wanted = wanted();
        for (Candidate c : responded) {
            if (counted >= wanted) {
                break;
            }
            out.add(c);
            counted += c.suspicious ? 0 : 1;
        }
        return out;
    }
}
