package dev.scout.cli.api.messages;

import dev.scout.cli.api.ApiException;
import dev.scout.cli.api.ApiRequest;
import dev.scout.cli.api.ApiResponse;
import dev.scout.cli.api.Jackson;
import dev.scout.cli.api.Resource;
import dev.scout.cli.api.Route;
import dev.scout.cli.api.Views;
import dev.scout.cli.api.app.AppService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scout.app.AppEntries;
import dev.scout.app.Contact;
import dev.scout.app.ScoutApp;
import dev.scout.sqlite.ReceivedQuery;
import dev.scout.core.message.MessageId;
import dev.scout.dht.LimitExceededException;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * Messages (docs/api.md): {@code POST /v1/messages} {"contact", "text"} sends; {@code POST /v1/inbox}
 * {"contact"?} fetches new messages (unread: fetching is not reading); {@code POST /v1/messages/read}
 * {"contact", "up_to"?} marks them read and publishes the read marks; {@code GET /v1/messages} lists
 * received or sent messages a page at a time ({@link MessageQuery}); {@code GET /v1/messages/{id}} is one.
 */
public final class MessagesResource implements Resource {
    private final AppService service;
    private final MessageList list;

    public MessagesResource(AppService service) {
        this.service = service;
        this.list = new MessageList(service.store());
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.post("/v1/messages", r -> {
                    JsonNode body = r.json();
                    Contact c = service.store().contact(ApiRequest.text(body, "contact"));
                    String text = ApiRequest.text(body, "text");
                    checkText(text);
                    return ApiResponse.created(Views.send(service.send(c, text)));
                }),
                Route.get("/v1/messages", r -> ApiResponse.ok(list.page(MessageQuery.parse(r)))),
                Route.get("/v1/messages/{id}", r -> ApiResponse.ok(list.one(messageId(r.path("id"), "the message id")))),
                Route.post("/v1/messages/read", r -> {
                    JsonNode body = r.json();
                    Contact c = service.store().contact(ApiRequest.text(body, "contact"));
                    String upTo = ApiRequest.optionalText(body, "up_to");
                    return ApiResponse.ok(service.markRead(c, upTo == null ? null : messageId(upTo, "\"up_to\"")));
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

    /** A message id as the API writes them (40 hex digits); 400 otherwise. */
    static MessageId messageId(String hex, String what) {
        if (hex.length() != 40 || !hex.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
            throw ApiException.badRequest("invalid_message_id", what + " must be a message id (40 hex digits)");
        }
        return MessageId.of(HexFormat.of().parseHex(hex));
    }

    /**
     * A text that cannot be one message is refused before anything is recorded: empty, with an unpaired
     * surrogate (it has no UTF-8 form), or too long.
     */
    public static void checkText(String text) {
        if (text.isEmpty()) {
            throw ApiException.badRequest("empty_text", "the text is empty");
        }
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (Character.isHighSurrogate(ch) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(ch)) {
                throw ApiException.badRequest("invalid_text", "the text has an unpaired surrogate at index " + i
                        + " (not a Unicode character)");
            }
        }
        checkLength(text);
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
