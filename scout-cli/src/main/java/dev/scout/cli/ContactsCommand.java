package dev.scout.cli;

import dev.scout.cli.app.ScoutApp;
import dev.scout.cli.state.Contact;
import dev.scout.cli.state.StateStore;
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
@Command(name = "contacts", mixinStandardHelpOptions = true, versionProvider = ScoutCommand.Version.class,
        description = "Manage contacts: people known by their public key.",
        subcommands = {ContactsCommand.Add.class, ContactsCommand.ListContacts.class, ContactsCommand.Remove.class,
                ContactsCommand.Show.class})
public final class ContactsCommand extends BaseCommand {
    @Override
    public Integer call() {
        throw new ParameterException(cl(), "missing subcommand: add, list, remove or show");
    }

    static <T> T withStore(BaseCommand c, Function<StateStore, T> action) {
        try (StateStore store = StateStore.open(ScoutCommand.of(c.spec).stateDir())) {
            AppContext.warn(c.spec, store);
            return action.apply(store);
        }
    }

    static Json.Obj describe(Contact c) {
        return Json.object().put("name", c.name()).put("public_key", c.publicKey().toZBase32())
                .put("public_key_hex", c.publicKey().toHex()).put("added_at", c.addedAt().toString());
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
            Contact c = withStore(this, store -> {
                Ed25519KeyPair self = store.requireIdentity();
                if (self.publicKey().equals(publicKey)) {
                    throw new CliException("that is your own public key");
                }
                // Fails early, with a clear message, on a key no exchange can be made with.
                PairKeys.derive(self, publicKey);
                return store.addContact(name, publicKey);
            });
            emit(describe(c), "added " + c.name() + " " + c.publicKey().toZBase32());
            return 0;
        }
    }

    /** {@code contacts list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List contacts (JSON: one object per contact).")
    public static final class ListContacts extends BaseCommand {
        @Override
        public Integer call() {
            List<Contact> contacts = withStore(this, StateStore::contacts);
            for (Contact c : contacts) {
                emit(describe(c), String.format("%-16s %s", c.name(), c.publicKey().toZBase32()));
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
            Contact c = withStore(this, store -> {
                Contact existing = store.contact(name);
                store.removeContact(name);
                return existing;
            });
            emit(describe(c).put("removed", true), "removed " + c.name());
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
            Json.Obj json = withStore(this, store -> {
                Ed25519KeyPair self = store.requireIdentity(); // first: "no identity, run init" says more than "unknown contact"
                Contact c = store.contact(name);
                PairKeys keys = PairKeys.derive(self, c.publicKey());
                int side = dev.scout.cli.app.AppEntries.side(self.publicKey(), c.publicKey());
                List<ScoutApp.ContactDevice> devices = ScoutApp.devicesOf(store.entries(c.name()), 1 - side);
                return describe(c)
                        .put("record_public_key", keys.recordPublicKey().toHex())
                        .put("record_target", java.util.HexFormat.of().formatHex(keys.recordTarget()))
                        .put("devices", devices.stream().map(ContactsCommand::device).toList());
            });
            if (json()) {
                emit(json, null);
            } else {
                Json.Obj j = json;
                out().println("name            " + j.get("name"));
                out().println("public key      " + j.get("public_key"));
                out().println("record key      " + j.get("record_public_key"));
                out().println("record target   " + j.get("record_target"));
                @SuppressWarnings("unchecked")
                List<Json.Obj> devices = (List<Json.Obj>) j.get("devices");
                out().println("devices         " + (devices.isEmpty() ? "none seen yet (scout sync " + name + ")" : devices.size()));
                for (Json.Obj d : devices) {
                    out().println("  " + d.get("tag") + " " + d.get("name") + " " + d.get("addresses"));
                }
                out().flush();
            }
            return 0;
        }
    }

    static Json.Obj device(ScoutApp.ContactDevice d) {
        return Json.object().put("tag", d.tag()).put("name", d.name())
                .put("addresses", d.addresses().stream().map(Addresses::format).toList())
                .put("outbox_head", d.outboxHead().isEnd() ? null : d.outboxHead().toHex());
    }
}
