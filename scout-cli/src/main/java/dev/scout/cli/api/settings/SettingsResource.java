package dev.scout.cli.api.settings;

import dev.scout.cli.api.ApiException;
import dev.scout.cli.api.ApiResponse;
import dev.scout.cli.api.Resource;
import dev.scout.cli.api.Route;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /v1/settings} and {@code PATCH /v1/settings} (a JSON merge patch: the fields given change,
 * the others stay): the daemon's poll and republish intervals, in effect from the loop's next turn
 * (within a second). Unknown fields and values out of range are refused whole: nothing changes.
 */
public final class SettingsResource implements Resource {
    private static final Set<String> FIELDS = Set.of("poll_interval_seconds", "republish_interval_seconds");
    private final RuntimeSettings settings;

    public SettingsResource(RuntimeSettings settings) {
        this.settings = settings;
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/v1/settings", r -> ApiResponse.ok(settings.json())),
                Route.patch("/v1/settings", r -> {
                    JsonNode body = r.json();
                    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
                        String name = names.next();
                        if (!FIELDS.contains(name)) {
                            throw ApiException.badRequest("unknown_field", "unknown setting \"" + name + "\" (known: "
                                    + String.join(", ", FIELDS.stream().sorted().toList()) + ")");
                        }
                    }
                    Long poll = seconds(body, "poll_interval_seconds");
                    Long republish = seconds(body, "republish_interval_seconds");
                    synchronized (settings) {
                        RuntimeSettings check = new RuntimeSettings(0, 0); // validates both before changing either
                        if (poll != null) {
                            check.pollSeconds(poll);
                        }
                        if (republish != null) {
                            check.republishSeconds(republish);
                        }
                        if (poll != null) {
                            settings.pollSeconds(poll);
                        }
                        if (republish != null) {
                            settings.republishSeconds(republish);
                        }
                    }
                    return ApiResponse.ok(settings.json());
                }));
    }

    private static Long seconds(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw ApiException.badRequest("invalid_field", "\"" + field + "\" must be a whole number of seconds");
        }
        return v.asLong();
    }
}
