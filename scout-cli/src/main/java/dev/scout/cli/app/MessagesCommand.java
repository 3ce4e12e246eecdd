package dev.scout.cli.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scout.cli.api.messages.MessageList;
import dev.scout.cli.common.BaseCommand;
import dev.scout.cli.common.DaemonClient;
import dev.scout.cli.common.Globals;
import dev.scout.cli.common.PortOption;
import dev.scout.cli.common.Version;
import dev.scout.sqlite.StateStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@code scout messages NAME}: the conversation with NAME from local state, both directions, oldest
 * first, each with its state: received ones read or unread, sent ones {@code sent}, {@code stored} or
 * {@code read_by_contact}. Nothing is fetched or marked read.
 */
@Command(name = "messages", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Show the conversation with NAME, both directions, oldest first, with delivery state.",
                "JSON: one object per message, as GET /v1/messages gives them (with \"direction\")."})
public final class MessagesCommand extends BaseCommand {
    @Mixin
    PortOption port;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        Optional<DaemonClient> daemon = daemon();
        List<JsonNode> history;
        if (daemon.isPresent()) {
            history = new ArrayList<>();
            String contact = URLEncoder.encode(name, StandardCharsets.UTF_8);
            for (String direction : List.of("received", "sent")) {
                String next = null;
                do {
                    JsonNode page = daemon.get().get("/v1/messages?limit=1000&direction=" + direction + "&contact="
                            + contact + (next == null ? "" : "&after=" + next));
                    page.path("messages").forEach(history::add);
                    next = page.path("next").isTextual() ? page.path("next").asText() : null;
                } while (next != null);
            }
            history.sort(Comparator.comparing(m -> m.path("sent_at").asText()));
        } else {
            try (StateStore store = StateStore.open(Globals.of(spec).stateDir())) {
                history = new MessageList(store).history(name); // local state only: no DHT needed
            }
        }
        for (JsonNode m : history) {
            boolean sent = m.path("direction").asText().equals("sent");
            String state = sent ? m.path("receipt").asText() : m.path("read").asBoolean() ? "read" : "unread";
            emit(m, "[" + InboxCommand.TIME.format(Instant.parse(m.path("sent_at").asText())) + "] "
                    + (sent ? "→ " : "← ") + m.path("contact").asText() + ": " + m.path("text").asText("(unreadable)")
                    + "  (" + state + ")");
        }
        if (history.isEmpty() && !json()) {
            out().println("no messages with " + name);
            out().flush();
        }
        return 0;
    }
}
