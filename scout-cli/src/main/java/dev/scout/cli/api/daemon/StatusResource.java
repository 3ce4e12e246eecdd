package dev.scout.cli.api.daemon;

import dev.scout.cli.api.ApiResponse;
import dev.scout.cli.api.Resource;
import dev.scout.cli.api.Route;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.function.Supplier;

/** {@code GET /v1/status}: the daemon's live status (routing table, external address, reachability, …). */
public final class StatusResource implements Resource {
    private final Supplier<ObjectNode> status;

    public StatusResource(Supplier<ObjectNode> status) {
        this.status = status;
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.get("/v1/status", r -> ApiResponse.ok(status.get())));
    }
}
