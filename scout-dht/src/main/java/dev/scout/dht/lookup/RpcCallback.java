package dev.scout.dht.lookup;

import dev.scout.dht.krpc.KrpcError;
import dev.scout.dht.krpc.KrpcResponse;

/** Outcome of one request; exactly one method is called, on the node's loop. */
public interface RpcCallback {
    void onResponse(KrpcResponse response, long rttMillis);

    void onError(KrpcError error);

    void onTimeout();

    /** Called once, before the final outcome, when the request has been unanswered for the soft timeout. */
    default void onSlow() {
    }
}
