package dev.scout.cli.api.app;

import dev.scout.cli.api.ApiException;
import dev.scout.cli.api.ApiResponse;
import dev.scout.cli.api.Jackson;
import dev.scout.cli.api.Resource;
import dev.scout.cli.api.Route;
import dev.scout.cli.api.Views;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.scout.app.Contact;

import java.util.ArrayList;
import java.util.List;

/** {@code POST /v1/sync} {"contacts": [names]} (all when absent): synchronize records, report devices. */
public final class SyncResource implements Resource {
    private final AppService service;

    public SyncResource(AppService service) {
        this.service = service;
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.post("/v1/sync", r -> {
            List<Contact> contacts = contacts(service, r.jsonOrEmpty(), "contacts");
            if (contacts.isEmpty()) {
                throw ApiException.badRequest("no contacts to synchronize: add one first");
            }
            ArrayNode results = Jackson.array();
            for (Contact c : contacts) {
                results.add(Views.sync(service.sync(c)));
            }
            return ApiResponse.ok(Jackson.object().set("results", results));
        }));
    }

    /** The contacts named in {@code body.field} (a list of names), or every contact when it is absent. */
    static List<Contact> contacts(AppService service, JsonNode body, String field) {
        JsonNode names = body.get(field);
        if (names == null || names.isNull()) {
            return service.store().contacts();
        }
        if (!names.isArray() || names.size() > 1_000) {
            throw ApiException.badRequest("\"" + field + "\" must be a list of contact names");
        }
        List<Contact> out = new ArrayList<>();
        for (JsonNode n : names) {
            if (!n.isTextual()) {
                throw ApiException.badRequest("\"" + field + "\" must be a list of contact names");
            }
            out.add(service.store().contact(n.asText()));
        }
        return out;
    }
}
