package dev.scout.cli;

import dev.scout.app.ScoutApp;
import dev.scout.app.Contact;
import dev.scout.cli.state.StateStore;
import dev.scout.dht.Addresses;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/** {@code scout sync [NAME...]}: synchronize the records shared with these contacts (all when none is named). */
@Command(name = "sync", mixinStandardHelpOptions = true, versionProvider = ScoutCommand.Version.class,
        description = {"Synchronize the contact records shared with NAME (or every contact) and print their devices.",
                "JSON: one object per contact: {\"contact\", \"seq\", \"stored\", \"devices\": [{\"tag\", \"name\", \"addresses\", \"outbox_head\"}]}"})
public final class SyncCommand extends BaseCommand {
    @Mixin
    PortOption port;

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "Contacts to synchronize (default: all).")
    List<String> names = new ArrayList<>();

    @Override
    public Integer call() {
        try (AppContext ctx = AppContext.open(spec, true, this::contacts)) {
            List<Contact> contacts = contacts(ctx.store());
            for (Contact c : contacts) {
                ctx.progress("synchronizing with " + c.name() + "...");
                ScoutApp.SyncReport r = ctx.app().sync(c);
                emit(Json.object().put("contact", c.name()).put("seq", r.seq()).put("stored", r.stored())
                                .put("devices", r.devices().stream().map(ContactsCommand::device).toList()),
                        human(r));
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

    static String human(ScoutApp.SyncReport r) {
        StringBuilder b = new StringBuilder(r.contact().name()).append(": record seq ").append(r.seq())
                .append(r.stored() == 0 ? ", already up to date" : ", stored on " + r.stored() + " nodes");
        if (r.devices().isEmpty()) {
            b.append("\n  no devices yet (").append(r.contact().name()).append(" has not synchronized)");
        }
        for (ScoutApp.ContactDevice d : r.devices()) {
            b.append("\n  device ").append(d.tag()).append(d.name().isEmpty() ? "" : " (" + d.name() + ")")
                    .append(": ").append(d.addresses().isEmpty() ? "no addresses"
                            : String.join(", ", d.addresses().stream().map(Addresses::format).toList()));
        }
        return b.toString();
    }
}
