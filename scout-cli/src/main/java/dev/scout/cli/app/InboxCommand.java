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
import dev.scout.app.ScoutApp;
import dev.scout.cli.api.Jackson;
import dev.scout.cli.api.Views;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/** {@code scout inbox [NAME]}: fetch, open and print new messages, oldest first, and record them as read. */
@Command(name = "inbox", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Fetch new messages from NAME (or every contact), print them oldest first, mark them read.",
                "JSON: one object per message: {\"contact\", \"device\", \"message_id\", \"text\", \"sent_at\"}"})
public final class InboxCommand extends BaseCommand {
    public static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    @Mixin
    public PortOption port;

    @Parameters(paramLabel = "NAME", arity = "0..1", description = "Only this contact (default: all).")
    public String name;

    @Override
    public Integer call() {
        Optional<DaemonClient> daemon = daemon();
        JsonNode result = daemon.isPresent()
                ? daemon.get().post("/v1/inbox", name == null ? Jackson.object() : Jackson.object().put("contact", name))
                : fetchHere();
        for (JsonNode problem : result.path("problems")) {
            spec.commandLine().getErr().println("scout: warning: " + problem.asText());
        }
        for (JsonNode m : result.path("messages")) {
            emit(m, "[" + TIME.format(Instant.parse(m.path("sent_at").asText())) + "] " + m.path("contact").asText()
                    + ": " + m.path("text").asText());
        }
        if (result.path("messages").isEmpty() && !json()) {
            out().println("no new messages");
            out().flush();
        }
        return 0;
    }

    /** The inbox with this command's own node: {"messages": […], "problems": […]} as the API answers. */
    private JsonNode fetchHere() {
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
                ScoutApp.InboxReport r = ctx.app().inbox(c);
                r.problems().forEach(problems::add);
                r.received().forEach(m -> messages.add(Views.message(m)));
            }
        }
        return result;
    }
}
