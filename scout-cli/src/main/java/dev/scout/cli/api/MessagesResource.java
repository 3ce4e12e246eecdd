package dev.scout.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scout.app.AppEntries;
import dev.scout.app.Contact;
import dev.scout.app.ScoutApp;
import dev.scout.sqlite.ReceivedQuery;
import dev.scout.dht.LimitExceededException;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Messages: {@code POST /v1/messages} {"contact", "text"} sends; {@code POST /v1/inbox} {"contact"?}
 * fetches new messages (and publishes the read marks); {@code GET /v1/messages?contact=&unread=true}
 * lists what was received, from local state.
 */
public final class MessagesResource implements Resource {
    private final AppService service;

    public MessagesResource(AppService service) {
        this.service = service;
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.post("/v1/messages", r -> {
                    JsonNode body = r.json();
                    Contact c = service.store().contact(ApiRequest.text(body, "contact"));
                    String text = ApiRequest.text(body, "text");
                    checkLength(text);
                    return ApiResponse.created(Views.send(service.send(c, text)));
                }),
                Route.get("/v1/messages", r -> {
                    String contact = r.query("contact");
                    if (contact != null) {
                        contact = service.store().contact(contact).name();
                    }
                    boolean unread = "true".equals(r.query("unread"));
                    ArrayNode list = Jackson.array();
                    service.store().received(new ReceivedQuery(contact, unread, null))
                            .forEach(m -> list.add(Views.storedMessage(m)));
                    return ApiResponse.ok(Jackson.object().set("messages", list));
                }),
                Route.post("/v1/inbox", r -> {
                    JsonNode body = r.jsonOrEmpty();
                    String name = ApiRequest.optionalText(body, "contact");
                    List<Contact> contacts = name == null ? service.store().contacts() : List.of(service.store().contact(name));
                    ArrayNode messages = Jackson.array();
                    ArrayNode problems = Jackson.array();
                    for (Contact c : contacts) {
                        ScoutApp.InboxReport report = service.inbox(c);
                        report.received().forEach(m -> messages.add(Views.message(m)));
                        report.problems().forEach(problems::add);
                    }
                    ObjectNode out = Jackson.object();
                    out.set("messages", messages);
                    out.set("problems", problems);
                    return ApiResponse.ok(out);
                }));
    }

    /** A text too long for one message is refused before anything is recorded. */
    public static void checkLength(String text) {
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        int max = AppEntries.maxTextBytes(System.currentTimeMillis());
        if (bytes > max) {
            throw new LimitExceededException("text is " + (bytes - max) + (bytes - max == 1 ? " byte" : " bytes")
                    + " too long for one message (at most " + max + " bytes of UTF-8 text)");
        }
    }
}
