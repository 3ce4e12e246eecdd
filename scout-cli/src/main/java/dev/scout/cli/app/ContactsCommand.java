package dev.scout.cli.app;

import dev.scout.cli.common.AppContext;
import dev.scout.cli.common.BaseCommand;
import dev.scout.cli.common.CliException;
import dev.scout.cli.common.DaemonClient;
import dev.scout.cli.common.Globals;
import dev.scout.cli.common.Version;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scout.cli.api.app.ContactsResource;
import dev.scout.cli.api.Jackson;
import dev.scout.cli.api.Views;
import java.util.ArrayList;
import java.util.Optional;

import dev.scout.app.ScoutApp;
import dev.scout.app.Contact;
import dev.scout.sqlite.StateStore;
import dev.scout.dht.KeyFormatException;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.core.crypto.PairKeys;
import dev.scout.dht.Ed25519PublicKey;
import dev.scout.dht.Addresses;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.function.Function;

/** {@code scout contacts add|list|remove|show}: the people this identity talks to. */
@Command(name = "contacts", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Manage contacts: people known by their public key.",
        subcommands = {ContactsCommand.Add.class, ContactsCommand.ListContacts.class, ContactsCommand.Remove.class,
                ContactsCommand.Show.class})
public final class ContactsCommand extends BaseCommand {
    @Override
    public Integer call() {
        throw new ParameterException(cl(), "missing subcommand: add, list, remove or show");
    }

    public static <T> T withStore(BaseCommand c, Function<StateStore, T> action) {
        try (StateStore store = StateStore.open(Globals.of(c.spec).stateDir())) {
            AppContext.warn(c.spec, store);
            // A damaged identity.key is reported here too, not hidden behind "no contacts yet".
            store.identity();
            return action.apply(store);
        }
    }

    public static String human(JsonNode c) {
        return String.format("%-16s %s", c.path("name").asText(), c.path("public_key").asText());
    }

    /** {@code contacts add NAME PUBKEY}. */
    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a contact by public key (z-base-32 or hex).")
    public static final class Add extends BaseCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "PUBKEY")
        String key;

        @Override
        public Integer call() {
            Ed25519PublicKey publicKey;
            try {
                publicKey = Ed25519PublicKey.parse(key);
            } catch (KeyFormatException e) {
                throw new ParameterException(cl(), "PUBKEY: " + e.getMessage());
            }
            Optional<DaemonClient> daemon = daemon();
            JsonNode c = daemon.isPresent()
                    ? daemon.get().post("/v1/contacts", Jackson.object().put("name", name).put("public_key", publicKey.toZBase32()))
                    : withStore(this, store -> {
                        try {
                            return Views.contact(ContactsResource.add(store, name, key));
                        } catch (IllegalArgumentException e) {
                            throw new CliException(e.getMessage());
                        }
                    });
            emit(c, "added " + c.path("name").asText() + " " + c.path("public_key").asText());
            return 0;
        }
    }

    /** {@code contacts list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List contacts (JSON: one object per contact).")
    public static final class ListContacts extends BaseCommand {
        @Override
        public Integer call() {
            Optional<DaemonClient> daemon = daemon();
            List<JsonNode> contacts = new ArrayList<>();
            if (daemon.isPresent()) {
                daemon.get().get("/v1/contacts").path("contacts").forEach(contacts::add);
            } else {
                withStore(this, StateStore::contacts).forEach(c -> contacts.add(Views.contact(c)));
            }
            for (JsonNode c : contacts) {
                emit(c, human(c));
            }
            if (contacts.isEmpty() && !json()) {
                out().println("no contacts yet: scout contacts add NAME PUBKEY");
                out().flush();
            }
            return 0;
        }
    }

    /** {@code contacts remove NAME}. */
    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a contact and everything stored for it (entries, messages).")
    public static final class Remove extends BaseCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            Optional<DaemonClient> daemon = daemon();
            JsonNode c = daemon.isPresent() ? daemon.get().delete("/v1/contacts/" + encode(name)) : withStore(this, store -> {
                Contact existing = store.contact(name);
                store.removeContact(name);
                return Views.contact(existing).put("removed", true);
            });
            emit(c, "removed " + c.path("name").asText());
            return 0;
        }
    }

    /** {@code contacts show NAME}: the contact, the shared record's key and target, and its devices as last synced. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Show a contact, the DHT location of your shared record, and their devices as last synced.",
                    "JSON includes \"record_public_key\" (hex) and \"record_target\" (hex)."})
    public static final class Show extends BaseCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            Optional<DaemonClient> daemon = daemon();
            JsonNode json = daemon.isPresent() ? daemon.get().get("/v1/contacts/" + encode(name))
                    : withStore(this, store -> ContactsResource.details(store, null, name));
            if (json()) {
                emit(json, null);
            } else {
                out().println("name            " + json.path("name").asText());
                out().println("public key      " + json.path("public_key").asText());
                out().println("record key      " + json.path("record_public_key").asText());
                out().println("record target   " + json.path("record_target").asText());
                JsonNode devices = json.path("devices");
                out().println("devices         " + (devices.isEmpty() ? "none seen yet (scout sync " + name + ")" : devices.size()));
                for (JsonNode d : devices) {
                    out().println("  " + d.path("tag").asInt() + " " + d.path("name").asText() + " " + d.path("addresses"));
                }
                out().flush();
            }
            return 0;
        }
    }

    public static String encode(String name) {
        return java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
