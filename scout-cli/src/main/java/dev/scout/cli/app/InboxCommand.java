package dev.scout.cli.app;

import dev.scout.cli.common.AppContext;
import dev.scout.cli.common.BaseCommand;
import dev.scout.cli.common.DaemonClient;
import dev.scout.cli.common.PortOption;
import dev.scout.cli.common.Version;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scout.app.Contact;
import dev.scout.app.ReadMark;
import dev.scout.app.ReceivedMessage;
import dev.scout.sqlite.ReceivedQuery;
import dev.scout.cli.api.Jackson;
import dev.scout.cli.api.Views;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code scout inbox [NAME]}: fetch new messages, then print every message not read yet (whoever fetched
 * it: the daemon's poll or this command), oldest first, and mark those read (publishing the read marks).
 */
@Command(name = "inbox", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Fetch new messages from NAME (or every contact), print every unread one oldest first, "
                + "mark them read.",
                "JSON: one object per message: {\"contact\", \"device\", \"message_id\", \"text\", \"sent_at\"}"})
public final class InboxCommand extends BaseCommand {
    public static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());
    private static final List<String> FIELDS = List.of("contact", "device", "message_id", "text", "sent_at");

    @Mixin
    public PortOption port;

    @Parameters(paramLabel = "NAME", arity = "0..1", description = "Only this contact (default: all).")
    public String name;

    @Override
    public Integer call() {
        Optional<DaemonClient> daemon = daemon();
        JsonNode result = daemon.isPresent() ? throughDaemon(daemon.get()) : here();
        for (JsonNode problem : result.path("problems")) {
            spec.commandLine().getErr().println("scout: warning: " + problem.asText());
        }
        for (JsonNode m : result.path("messages")) {
            ObjectNode shown = Jackson.object();
            FIELDS.forEach(f -> shown.set(f, m.get(f)));
            emit(shown, "[" + TIME.format(Instant.parse(m.path("sent_at").asText())) + "] " + m.path("contact").asText()
                    + ": " + m.path("text").asText());
        }
        if (result.path("messages").isEmpty() && !json()) {
            out().println("no new messages");
            out().flush();
        }
        return 0;
    }

    /** Through the daemon: fetch, list the unread a page at a time, mark what was listed read. */
    private JsonNode throughDaemon(DaemonClient daemon) {
        JsonNode fetched = daemon.post("/v1/inbox", name == null ? Jackson.object() : Jackson.object().put("contact", name));
        ObjectNode result = Jackson.object();
        ArrayNode messages = result.putArray("messages");
        ArrayNode problems = result.putArray("problems");
        problems.addAll((ArrayNode) fetched.path("problems"));
        String query = "/v1/messages?unread=true&limit=1000"
                + (name == null ? "" : "&contact=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
        String next = null;
        do {
            JsonNode page = daemon.get(query + (next == null ? "" : "&after=" + next));
            messages.addAll((ArrayNode) page.path("messages"));
            next = page.path("next").isTextual() ? page.path("next").asText() : null;
        } while (next != null);
        for (Map.Entry<String, String> last : lastPerContact(messages).entrySet()) {
            JsonNode read = daemon.post("/v1/messages/read", Jackson.object().put("contact", last.getKey())
                    .put("up_to", last.getValue()));
            problems.addAll((ArrayNode) read.path("problems"));
        }
        return result;
    }

    /** With this command's own node: the same steps, on the state directory. */
    private JsonNode here() {
        ObjectNode result = Jackson.object();
        ArrayNode messages = result.putArray("messages");
        ArrayNode problems = result.putArray("problems");
        try (AppContext ctx = AppContext.open(spec, true, store -> {
            if (name != null) {
                store.contact(name);
            }
        })) {
            List<Contact> contacts = name == null ? ctx.store().contacts() : List.of(ctx.store().contact(name));
            for (Contact c : contacts) {
                ctx.progress("checking " + c.name() + "...");
                ctx.app().inbox(c).problems().forEach(problems::add);
                List<ReceivedMessage> unread = ctx.store().received(ReceivedQuery.all().contact(c.name()).unreadOnly());
                unread.forEach(m -> messages.add(Views.storedMessage(m)));
                if (!unread.isEmpty()) {
                    List<ReadMark> marks = ctx.store().marksUpTo(c.name(), unread.get(unread.size() - 1).id());
                    ctx.app().markRead(c, marks).forEach(problems::add);
                }
            }
        }
        return result;
    }

    /** The last listed message's id per contact, in order of first appearance. */
    private static Map<String, String> lastPerContact(ArrayNode messages) {
        Map<String, String> last = new LinkedHashMap<>();
        for (JsonNode m : messages) {
            last.put(m.path("contact").asText(), m.path("message_id").asText());
        }
        return last;
    }
}
