package dev.scout.dht.lookup;

import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The nodes one lookup knows of, closest to its target first, at most {@value #MAX_CANDIDATES}; each id
 * and each address appears once. An address is recorded before the id it was listed with, so an id
 * listed at an address already being asked (a router) stays free for that address's own answer.
 */
final class CandidateList {
    /** Candidates beyond this many are forgotten, farthest first. */
    static final int MAX_CANDIDATES = 100;

    private final NodeId target;
    private final List<Candidate> candidates = new ArrayList<>();
    private final Set<NodeId> seenIds = new HashSet<>();
    private final Set<InetSocketAddress> seenAddresses = new HashSet<>();

    CandidateList(NodeId target) {
        this.target = target;
    }

    /** Records an address asked without a known id (a router); false if already known. */
    boolean claimAddress(InetSocketAddress address) {
        return seenAddresses.add(address);
    }

    /** True if neither the id nor the address has been seen in this lookup. */
    boolean isNew(NodeInfo node) {
        return !seenIds.contains(node.id()) && !seenAddresses.contains(node.address());
    }

    /** Adds a node whose id and address are both new (see {@link #isNew}); null if it fell off the end. */
    Candidate add(NodeInfo node, boolean suspicious) {
        seenAddresses.add(node.address());
        return insert(node, suspicious);
    }

    /**
     * Places a candidate for {@code node}, whose address is already recorded (an address that answered
     * with a new id, a router that answered); null if its id is known already or it fell off the end.
     */
    Candidate insert(NodeInfo node, boolean suspicious) {
        if (!seenIds.add(node.id())) {
            return null;
        }
        int lo = 0;
        int hi = candidates.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (target.compareDistance(candidates.get(mid).node().id(), node.id()) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (lo >= MAX_CANDIDATES) {
            return null;
        }
        Candidate added = new Candidate(node);
        added.suspicious = suspicious;
        candidates.add(lo, added);
        if (candidates.size() > MAX_CANDIDATES) {
            // Drop the farthest candidate nobody is waiting on.
            for (int i = candidates.size() - 1; i >= MAX_CANDIDATES; i--) {
                Candidate.State s = candidates.get(i).state;
                if (s != Candidate.State.PENDING && s != Candidate.State.SLOW) {
                    candidates.remove(i);
                    break;
                }
            }
        }
        return added;
    }

    /** Every candidate, closest first (live view: do not modify). */
    List<Candidate> all() {
        return candidates;
    }

    /** The {@code count} closest that could count towards K: not failed, not suspicious, any other state. */
    List<Candidate> closestKnown(int count) {
        List<Candidate> out = new ArrayList<>(count);
        for (Candidate c : candidates) {
            if (out.size() >= count) {
                break;
            }
            if (c.state != Candidate.State.FAILED && !c.suspicious) {
                out.add(c);
            }
        }
        return out;
    }

    /** The candidates that answered, closest first. */
    List<Candidate> responded() {
        List<Candidate> out = new ArrayList<>();
        for (Candidate c : candidates) {
            if (c.state == Candidate.State.RESPONDED) {
                out.add(c);
            }
        }
        return out;
    }
}
