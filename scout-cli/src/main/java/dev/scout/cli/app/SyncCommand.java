package dev.scout.cli.app;

import dev.scout.cli.common.AppContext;
import dev.scout.cli.common.BaseCommand;
import dev.scout.cli.common.CliException;
import dev.scout.cli.common.DaemonClient;
import dev.scout.cli.common.PortOption;
import dev.scout.cli.common.Version;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scout.app.Contact;
import dev.scout.cli.api.Jackson;
import dev.scout.cli.api.Views;
import dev.scout.sqlite.StateStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code scout sync [NAME...]}: synchronize the records shared with these contacts (all when none is named). */
@Command(name = "sync", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Synchronize the contact records shared with NAME (or every contact) and print their devices.",
                "JSON: one object per contact: {\"contact\", \"seq\", \"stored\", \"devices\": [{\"tag\", \"name\", "
                        + "\"addresses\", \"outbox_head\", \"updated_at\"}]}"})
public final class SyncCommand extends BaseCommand {
    @Mixin
    public PortOption port;

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "Contacts to synchronize (default: all).")
    public List<String> names = new ArrayList<>();

    @Override
    public Integer call() {
        Optional<DaemonClient> daemon = daemon();
        if (daemon.isPresent()) {
            ObjectNode request = Jackson.object();
            if (!names.isEmpty()) {
                ArrayNode list = request.putArray("contacts");
                names.forEach(list::add);
            }
            for (JsonNode r : daemon.get().post("/v1/sync", request).path("results")) {
                emit(r, human(r));
            }
            return 0;
        }
        try (AppContext ctx = AppContext.open(spec, true, this::contacts)) {
            for (Contact c : contacts(ctx.store())) {
                ctx.progress("synchronizing with " + c.name() + "...");
                ObjectNode r = Views.sync(ctx.app().sync(c));
                emit(r, human(r));
            }
        }
        return 0;
    }

    /** The contacts to synchronize; fails on an unknown name or when there is none. */
    private List<Contact> contacts(StateStore store) {
        List<Contact> contacts = names.isEmpty() ? store.contacts() : names.stream().map(store::contact).toList();
        if (contacts.isEmpty()) {
            throw new CliException("no contacts to synchronize: add one with `scout contacts add NAME PUBKEY`");
        }
        return contacts;
    }

    /** The human form of one {@link Views#sync} result. */
    public static String human(JsonNode r) {
        String name = r.path("contact").asText();
        StringBuilder b = new StringBuilder(name).append(": record seq ").append(r.path("seq").asLong())
                .append(r.path("stored").asInt() == 0 ? ", already up to date" : ", stored on " + r.path("stored").asInt() + " nodes");
        if (r.path("devices").isEmpty()) {
            b.append("\n  no devices yet (").append(name).append(" has not synchronized)");
        }
        for (JsonNode d : r.path("devices")) {
            List<String> addresses = new ArrayList<>();
            d.path("addresses").forEach(a -> addresses.add(a.asText()));
            String device = d.path("name").asText();
            b.append("\n  device ").append(d.path("tag").asInt()).append(device.isEmpty() ? "" : " (" + device + ")")
                    .append(": ").append(addresses.isEmpty() ? "no addresses" : String.join(", ", addresses));
        }
        return b.toString();
    }
}
