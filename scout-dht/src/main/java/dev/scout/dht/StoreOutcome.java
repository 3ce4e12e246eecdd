package dev.scout.dht;

/**
 * What one storing node answered to a put or an announce.
 *
 * @param node         the node asked to store
 * @param stored       true if it accepted
 * @param errorCode    its KRPC error code (e.g. 301, 302 for BEP 44 conflicts), or 0 for success or no answer
 * @param errorMessage its error message, {@code "no answer"} for silence, empty on success
 */
public record StoreOutcome(NodeInfo node, boolean stored, int errorCode, String errorMessage) {
}
