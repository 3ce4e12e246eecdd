package dev.scout.cli.api.app;

import dev.scout.cli.api.ApiRequest;
import dev.scout.cli.api.ApiResponse;
import dev.scout.cli.api.Jackson;
import dev.scout.cli.api.Resource;
import dev.scout.cli.api.Route;
import dev.scout.cli.api.Views;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.scout.app.Contact;
import dev.scout.app.ScoutApp;
import dev.scout.sqlite.StateStore;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.core.crypto.PairKeys;
import dev.scout.dht.Ed25519PublicKey;

import java.util.List;

/**
 * {@code /v1/contacts}: list, add ({"name", "public_key"}), show (with the shared record's key, target
 * and the devices as last synchronized), remove; {@code /v1/contacts/{name}/read-marks}.
 */
public final class ContactsResource implements Resource {
    private final AppService service;

    public ContactsResource(AppService service) {
        this.service = service;
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/v1/contacts", r -> {
                    ArrayNode list = Jackson.array();
                    service.store().contacts().forEach(c -> list.add(Views.contact(c)));
                    return ApiResponse.ok(Jackson.object().set("contacts", list));
                }),
                Route.post("/v1/contacts", r -> {
                    JsonNode body = r.json();
                    Contact c = add(service.store(), ApiRequest.text(body, "name"), ApiRequest.text(body, "public_key"));
                    return ApiResponse.created(Views.contact(c));
                }),
                Route.get("/v1/contacts/{name}", r -> ApiResponse.ok(details(service.store(), service.app(), r.path("name")))),
                Route.delete("/v1/contacts/{name}", r -> {
                    Contact c = service.store().contact(r.path("name"));
                    service.node().contacts().remove(c.name()); // also ends its sessions, forgets its paths
                    return ApiResponse.ok(Views.contact(c).put("removed", true));
                }),
                Route.get("/v1/contacts/{name}/read-marks", r -> {
                    Contact c = service.store().contact(r.path("name"));
                    ArrayNode marks = Jackson.array();
                    service.store().readMarks(c.name()).forEach(m -> marks.add(Views.readMark(m)));
                    return ApiResponse.ok(Jackson.object().put("contact", c.name()).set("read_marks", marks));
                }));
    }

    /**
     * Adds a contact after the checks every caller needs: a parseable key, not our own, one a key
     * exchange can be made with.
     */
    public static Contact add(StateStore store, String name, String key) {
        Ed25519PublicKey publicKey = Ed25519PublicKey.parse(key);
        Ed25519KeyPair self = store.requireIdentity();
        if (self.publicKey().equals(publicKey)) {
            throw new IllegalArgumentException("that is your own public key");
        }
        PairKeys.derive(self, publicKey); // fails early on a key no exchange can be made with
        return store.addContact(name, publicKey);
    }

    /** The contact with its record location and devices as last synchronized. */
    public static com.fasterxml.jackson.databind.node.ObjectNode details(StateStore store, ScoutApp app, String name) {
        Ed25519KeyPair self = store.requireIdentity(); // first: "no identity, run init" says more than "unknown contact"
        Contact c = store.contact(name);
        return Views.contactDetails(self, c, app == null ? ScoutApp.devicesOf(store.entries(c.name()),
                1 - dev.scout.app.AppEntries.side(self.publicKey(), c.publicKey())) : app.storedDevices(c));
    }
}
