package dev.scout.cli;

import dev.scout.app.AppEntries;
import dev.scout.app.ScoutApp;
import dev.scout.app.Contact;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;

/** {@code scout send NAME TEXT}: seal, chain and store an offline message, then publish the new list head. */
@Command(name = "send", mixinStandardHelpOptions = true, versionProvider = ScoutCommand.Version.class,
        description = {"Send TEXT to NAME as a sealed offline message (kept in the DHT until read).",
                "JSON: {\"contact\", \"message_id\", \"stored\", \"record_seq\"}"})
public final class SendCommand extends BaseCommand {
    @Mixin
    PortOption port;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "TEXT")
    String text;

    @Override
    public Integer call() {
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        int max = AppEntries.maxTextBytes(System.currentTimeMillis());
        if (bytes > max) {
            throw new ParameterException(cl(), "TEXT is " + (bytes - max) + (bytes - max == 1 ? " byte" : " bytes") + " too long for one message (at most "
                    + max + " bytes of UTF-8 text)");
        }
        try (AppContext ctx = AppContext.open(spec, true, store -> store.contact(name))) {
            Contact c = ctx.store().contact(name);
            ctx.progress("sending to " + c.name() + "...");
            ScoutApp.SendReport r = ctx.app().send(c, text);
            emit(Json.object().put("contact", c.name()).put("message_id", r.id().toHex()).put("stored", r.stored())
                            .put("record_seq", r.recordSeq()),
                    "sent to " + c.name() + " (message " + r.id().toHex().substring(0, 12) + ", stored on " + r.stored() + " nodes)");
        }
        return 0;
    }
}
