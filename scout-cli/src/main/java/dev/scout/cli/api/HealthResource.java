package dev.scout.cli.api;

import java.util.List;

/** {@code GET /v1/health}: 200 {"status": "ok"} while the daemon runs. */
public final class HealthResource implements Resource {
    @Override
    public List<Route> routes() {
        return List.of(Route.get("/v1/health", r -> ApiResponse.ok(Jackson.object().put("status", "ok"))));
    }
}
