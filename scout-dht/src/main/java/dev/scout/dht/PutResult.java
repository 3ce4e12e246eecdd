package dev.scout.dht;

import dev.scout.dht.lookup.StoreRound;

import java.util.List;

/**
 * What a BEP 44 put achieved.
 *
 * @param target   where the item lives
 * @param seq      the stored seq of a mutable item, or null for immutable
 * @param stored   how many of the closest nodes accepted it
 * @param outcomes each storing node's answer, including errors
 */
public record PutResult(NodeId target, Long seq, int stored, List<StoreRound.Outcome> outcomes) {
    public PutResult {
        outcomes = List.copyOf(outcomes);
    }

    /** The answers that were KRPC errors (code ≠ 0) or silence (code 0). */
    public List<StoreRound.Outcome> failures() {
        return outcomes.stream().filter(o -> !o.stored()).toList();
    }
}
