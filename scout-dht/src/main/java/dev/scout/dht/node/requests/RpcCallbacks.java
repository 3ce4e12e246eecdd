package dev.scout.dht.node.requests;

import dev.scout.dht.lookup.RpcCallback;

import dev.scout.dht.krpc.KrpcError;
import dev.scout.dht.krpc.KrpcResponse;

/** Small reusable {@link RpcCallback}s. */
public final class RpcCallbacks {
    private RpcCallbacks() {}

    /** Runs an action whatever the outcome. */
    public static final class Finally implements RpcCallback {
        private final Runnable action;

        public Finally(Runnable action) {
            this.action = action;
        }

        @Override
        public void onResponse(KrpcResponse response, long rttMillis) {
            action.run();
        }

        @Override
        public void onError(KrpcError error) {
            action.run();
        }

        @Override
        public void onTimeout() {
            action.run();
        }
    }
}
