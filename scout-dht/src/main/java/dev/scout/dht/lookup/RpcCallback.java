package dev.scout.dht.lookup;

import dev.scout.dht.krpc.KrpcError;
import dev.scout.dht.krpc.KrpcResponse;

/** Outcome of one request; exactly one method is called, on the node's loop. */
public interface RpcCallback {
    /** For fire-and-forget requests wanted for their side effect only (a ping that updates the routing table). */
    RpcCallback IGNORE = new RpcCallback() {
        @Override
        public void onResponse(KrpcResponse response, long rttMillis) {
        }

        @Override
        public void onError(KrpcError error) {
        }

        @Override
        public void onTimeout() {
        }
    };

    void onResponse(KrpcResponse response, long rttMillis);

    void onError(KrpcError error);

    void onTimeout();

    /** Called once, before the final outcome, when the request has been unanswered for the soft timeout. */
    default void onSlow() {
    }
}
