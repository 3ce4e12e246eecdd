package dev.scout.dht.lookup;

import dev.scout.dht.NodeInfo;
import dev.scout.dht.krpc.KrpcResponse;

import java.util.ArrayList;
import java.util.List;

/**
 * Which nodes a {@link Traversal} takes as candidates: never itself, never port 0, never a node whose id
 * or address it already knows, and never a node that recently went silent — except that the silent ones
 * met while seeding are kept aside and taken after all if they are the only ones there are (then the
 * silence is more likely ours than theirs). Suspiciously close ids are marked as the {@link SybilGuard}
 * says. Loop thread only.
 */
final class CandidateAdmission {
    private final LookupContext context;
    private final CandidateList candidates;
    private final SybilGuard sybils;
    /** Candidates skipped while seeding because they recently went silent; null until one is. */
    private List<NodeInfo> skippedSilent;
    private boolean seeding;

    CandidateAdmission(LookupContext context, CandidateList candidates, SybilGuard sybils) {
        this.context = context;
        this.candidates = candidates;
        this.sybils = sybils;
    }

    /** Admits the lookup's first candidates (from the routing table and saved seeds). */
    void seed(List<NodeInfo> nodes) {
        seeding = true;
        for (NodeInfo n : nodes) {
            add(n);
        }
        seeding = false;
    }

    /** Admits the silent nodes skipped while seeding: nothing else is left to ask. */
    void admitSkippedSilent() {
        if (skippedSilent != null) {
            for (NodeInfo n : skippedSilent) {
                if (candidates.isNew(n)) {
                    candidates.add(n, sybils.isSuspicious(n));
                }
            }
        }
    }

    /** Admits the nodes an answer lists (both families). */
    void merge(KrpcResponse response) {
        for (NodeInfo n : response.nodes()) {
            add(n);
        }
        for (NodeInfo n : response.nodes6()) {
            add(n);
        }
    }

    /** Places a candidate for {@code node}, whose address is already recorded; null if not placed. */
    Candidate insert(NodeInfo node) {
        return candidates.insert(node, sybils.isSuspicious(node));
    }

    private void add(NodeInfo node) {
        if (node.id().equals(context.ownId()) || node.address().getPort() == 0 || !candidates.isNew(node)) {
            return;
        }
        if (!context.recentlyUnresponsive(node.address())) {
            candidates.add(node, sybils.isSuspicious(node));
        } else if (seeding) {
            if (skippedSilent == null) {
                skippedSilent = new ArrayList<>();
            }
            skippedSilent.add(node);
        }
    }
}
