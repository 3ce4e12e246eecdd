package dev.scout.cli.app;

import dev.scout.cli.common.AppContext;
import dev.scout.cli.common.BaseCommand;
import dev.scout.cli.common.DaemonClient;
import dev.scout.cli.common.PortOption;
import dev.scout.cli.common.Version;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scout.app.AppEntries;
import dev.scout.app.Contact;
import dev.scout.cli.api.Jackson;
import dev.scout.cli.api.Views;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** {@code scout send NAME TEXT}: seal, chain and store an offline message, then publish the new list head. */
@Command(name = "send", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Send TEXT to NAME as a sealed offline message (kept in the DHT until read).",
                "JSON: {\"contact\", \"message_id\", \"stored\", \"record_seq\"}"})
public final class SendCommand extends BaseCommand {
    @Mixin
    public PortOption port;

    @Parameters(index = "0", paramLabel = "NAME")
    public String name;

    @Parameters(index = "1", paramLabel = "TEXT")
    public String text;

    @Override
    public Integer call() {
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        int max = AppEntries.maxTextBytes(System.currentTimeMillis());
        if (bytes > max) {
            throw new ParameterException(cl(), "TEXT is " + (bytes - max) + (bytes - max == 1 ? " byte" : " bytes") + " too long for one message (at most "
                    + max + " bytes of UTF-8 text)");
        }
        Optional<DaemonClient> daemon = daemon();
        JsonNode r;
        if (daemon.isPresent()) {
            r = daemon.get().post("/v1/messages", Jackson.object().put("contact", name).put("text", text));
        } else {
            try (AppContext ctx = AppContext.open(spec, true, store -> store.contact(name))) {
                Contact c = ctx.store().contact(name);
                ctx.progress("sending to " + c.name() + "...");
                r = Views.send(ctx.app().send(c, text));
            }
        }
        emit(r, "sent to " + r.path("contact").asText() + " (message " + r.path("message_id").asText().substring(0, 12)
                + ", stored on " + r.path("stored").asInt() + " nodes)");
        return 0;
    }
}
