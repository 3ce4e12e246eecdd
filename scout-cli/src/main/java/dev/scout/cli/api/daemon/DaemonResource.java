package dev.scout.cli.api.daemon;

import dev.scout.cli.api.ApiResponse;
import dev.scout.cli.api.Jackson;
import dev.scout.cli.api.Resource;
import dev.scout.cli.api.Route;
import java.util.List;

/** {@code POST /v1/stop}: the daemon stops cleanly after answering (what {@code scout stop} calls). */
public final class DaemonResource implements Resource {
    private final Runnable stop;

    public DaemonResource(Runnable stop) {
        this.stop = stop;
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.post("/v1/stop", r -> new ApiResponse(202, Jackson.object().put("status", "stopping"), stop)));
    }
}
