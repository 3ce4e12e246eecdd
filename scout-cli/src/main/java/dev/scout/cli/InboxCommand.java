package dev.scout.cli;

import dev.scout.app.ScoutApp;
import dev.scout.app.Contact;
import dev.scout.app.ReceivedMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** {@code scout inbox [NAME]}: fetch, open and print new messages, oldest first, and record them as read. */
@Command(name = "inbox", mixinStandardHelpOptions = true, versionProvider = ScoutCommand.Version.class,
        description = {"Fetch new messages from NAME (or every contact), print them oldest first, mark them read.",
                "JSON: one object per message: {\"contact\", \"device\", \"message_id\", \"text\", \"sent_at\"}"})
public final class InboxCommand extends BaseCommand {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    @Mixin
    PortOption port;

    @Parameters(paramLabel = "NAME", arity = "0..1", description = "Only this contact (default: all).")
    String name;

    @Override
    public Integer call() {
        try (AppContext ctx = AppContext.open(spec, true, store -> {
            if (name != null) {
                store.contact(name);
            }
        })) {
            List<Contact> contacts = name == null ? ctx.store().contacts() : List.of(ctx.store().contact(name));
            int total = 0;
            for (Contact c : contacts) {
                ctx.progress("checking " + c.name() + "...");
                ScoutApp.InboxReport r = ctx.app().inbox(c);
                for (String problem : r.problems()) {
                    spec.commandLine().getErr().println("scout: warning: " + problem);
                }
                for (ReceivedMessage m : r.received()) {
                    emit(json(m), "[" + TIME.format(m.sentAt()) + "] " + m.contact() + ": " + m.text());
                    total++;
                }
            }
            if (total == 0 && !json()) {
                out().println("no new messages");
                out().flush();
            }
        }
        return 0;
    }

    static Json.Obj json(ReceivedMessage m) {
        return Json.object().put("contact", m.contact()).put("device", m.deviceTag()).put("message_id", m.id().toHex())
                .put("text", m.text()).put("sent_at", m.sentAt().toString());
    }
}
