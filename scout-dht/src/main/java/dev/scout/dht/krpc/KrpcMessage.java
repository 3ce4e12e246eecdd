package dev.scout.dht.krpc;

/** One KRPC datagram (BEP 5): a query, a response or an error, tied together by the transaction id. */
public sealed interface KrpcMessage permits KrpcQuery, KrpcResponse, KrpcError {
    /** The opaque transaction id chosen by the querying node. */
    byte[] transactionId();
}
