package dev.scout.dht.krpc;

import dev.scout.dht.NodeId;

/**
 * A query datagram.
 *
 * @param transactionId transaction id chosen by the sender
 * @param sender        the sender's node id ({@code a.id})
 * @param query         the method and its arguments
 * @param readOnly      BEP 43 {@code ro=1}: the sender does not answer queries, keep it out of routing tables
 * @param clientVersion the optional {@code v} field, or null
 */
public record KrpcQuery(byte[] transactionId, NodeId sender, Query query, boolean readOnly, byte[] clientVersion)
        implements KrpcMessage {
}
