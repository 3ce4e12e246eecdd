package dev.scout.dht;

import java.util.List;
import java.util.OptionalLong;

/**
 * What a BEP 44 put achieved.
 *
 * @param target   where the item lives
 * @param seq      the stored seq of a mutable item; empty for an immutable one
 * @param stored   how many of the closest nodes accepted it
 * @param outcomes each storing node's answer, including errors
 */
public record PutResult(NodeId target, OptionalLong seq, int stored, List<StoreOutcome> outcomes) {
    /**
     * Copies {@code outcomes}.
     *
     * @param target   where the item lives
     * @param seq      the stored seq of a mutable item; empty for an immutable one
     * @param stored   how many of the closest nodes accepted it
     * @param outcomes each storing node's answer, including errors
     */
    public PutResult {
        outcomes = List.copyOf(outcomes);
    }

    /** {@return the answers that were KRPC errors (code ≠ 0) or silence (code 0)} */
    public List<StoreOutcome> failures() {
        return outcomes.stream().filter(o -> !o.stored()).toList();
    }
}
