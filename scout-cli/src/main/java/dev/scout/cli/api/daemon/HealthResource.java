package dev.scout.cli.api.daemon;

import dev.scout.cli.api.ApiResponse;
import dev.scout.cli.api.Jackson;
import dev.scout.cli.api.Resource;
import dev.scout.cli.api.Route;
import java.util.List;

/** {@code GET /v1/health}: 200 {"status": "ok"} while the daemon runs. */
public final class HealthResource implements Resource {
    @Override
    public List<Route> routes() {
        return List.of(Route.get("/v1/health", r -> ApiResponse.ok(Jackson.object().put("status", "ok"))));
    }
}
