package dev.scout.cli.api.daemon;

import dev.scout.cli.api.ApiResponse;
import dev.scout.cli.api.Resource;
import dev.scout.cli.api.Route;
import dev.scout.cli.api.Views;
import dev.scout.sqlite.StateStore;
import dev.scout.dht.Ed25519KeyPair;

import java.util.List;

/** {@code GET /v1/identity}: this identity's public key and this device's tag and name. */
public final class IdentityResource implements Resource {
    private final StateStore store;

    public IdentityResource(StateStore store) {
        this.store = store;
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.get("/v1/identity", r -> {
            Ed25519KeyPair id = store.requireIdentity();
            return ApiResponse.ok(Views.identity(id).put("device", store.deviceTag()).put("device_tag", store.deviceTag()) // device_tag: the old name
                    .put("device_name", store.deviceName()));
        }));
    }
}
