package dev.scout.dht.udp;

import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What each address family held of a mutable item at the last read through a {@link DualStackNode}:
 * the highest seq per family. A compare-and-swap put that names the merged seq of that read swaps, in
 * each family, the version read there. Bounded (least recently used entries go); thread-safe.
 */
final class SeqsRead {
    private static final int MAX_ITEMS = 1_024;

    private final Map<NodeId, Map<DhtNode, Long>> reads = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<NodeId, Map<DhtNode, Long>> eldest) {
            return size() > MAX_ITEMS;
        }
    };

    synchronized void remember(NodeId target, Map<DhtNode, Long> highestPerFamily) {
        reads.put(target, withNulls(highestPerFamily));
    }

    /** The per-family seqs of the last read whose merged seq is {@code cas}, or null if there was none. */
    synchronized Map<DhtNode, Long> forCas(NodeId target, long cas) {
        Map<DhtNode, Long> read = reads.get(target);
        if (read == null) {
            return null;
        }
        long merged = read.values().stream().filter(Objects::nonNull).mapToLong(Long::longValue).max().orElse(-1);
        return merged == cas ? read : null;
    }

    /** Map.copyOf refuses null values; a family that held nothing is recorded as null (put without cas). */
    private static Map<DhtNode, Long> withNulls(Map<DhtNode, Long> m) {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
