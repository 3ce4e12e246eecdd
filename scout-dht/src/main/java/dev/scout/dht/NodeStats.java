package dev.scout.dht;

/**
 * Counters of one node, read on the loop (or copied off it).
 *
 * @param received          datagrams handed to the node
 * @param sent              datagrams the node emitted
 * @param malformed         datagrams that failed to decode
 * @param queriesAnswered   queries answered (including with errors)
 * @param timeouts          requests that went unanswered
 * @param invalidItems      BEP 44 items dropped because hash or signature did not verify
 * @param routingTableSize  nodes in the routing table
 * @param storedItems       BEP 44 items held for others
 * @param storedPeers       announced peers held for others
 */
public record NodeStats(long received, long sent, long malformed, long queriesAnswered, long timeouts,
                        long invalidItems, int routingTableSize, int storedItems, int storedPeers) {
}
