package dev.scout.dht.node;

import dev.scout.dht.NodeStats;

/** A {@link NodeCore}'s traffic counters, bumped on its loop. */
final class NodeCounters {
    long received;
    long sent;
    long malformed;
    long answered;
    long timeouts;
    /** BEP 44 items from lookups that failed verification. */
    long invalidItems;

    NodeStats stats(long rejectedItems, int tableSize, int storedItems, int peers) {
        return new NodeStats(received, sent, malformed, answered, timeouts, invalidItems + rejectedItems, tableSize,
                storedItems, peers);
    }
}
