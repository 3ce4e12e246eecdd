package dev.scout.cli.app;

import dev.scout.cli.common.BaseCommand;
import dev.scout.cli.common.CliException;
import dev.scout.cli.common.DaemonClient;
import dev.scout.cli.common.ErrorHandler;
import dev.scout.cli.common.Globals;
import dev.scout.cli.common.Version;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * {@code scout pipe NAME}: a direct session with a contact through the running daemon (docs/spec.md §7) —
 * stdin goes to NAME, NAME's bytes come out on stdout; it ends when both directions have ended. Both
 * people run it; whoever comes second takes the session the first one opened.
 */
@Command(name = "pipe", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Open a direct, encrypted session with a contact through the running daemon: stdin to NAME, "
                + "NAME's bytes to stdout, until both ends reach end of file.",
                "Both run it: `scout pipe bob < file` here, `scout pipe alice > copy` there. Needs `scout daemon`."})
public final class PipeCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The contact.")
    public String name;

    @Option(names = "--device", paramLabel = "DEVICE", description = "Only this device of the contact (its device name, "
            + "as `scout sync NAME` lists it), when several daemons share the contact's identity. Default: the one "
            + "that reached us last.")
    public String device;

    @Override
    public Integer call() throws InterruptedException {
        DaemonClient daemon = daemon().orElseThrow(() -> new CliException("scout pipe goes through the daemon, and none "
                + "is running for " + Globals.of(spec).stateDir() + ": start it with `scout daemon`"));
        var request = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("contact", name);
        if (device != null) {
            request.put("device", device);
        }
        JsonNode session = daemon.post("/v1/sessions", request);
        String id = session.path("id").asText();
        spec.commandLine().getErr().println("scout pipe: session with " + session.path("contact").asText() + " at "
                + (session.has("relay") ? "relay " + session.path("relay").asText() : session.path("remote").asText())
                + (session.path("incoming").asBoolean()
                ? " (they opened it" + (session.has("relay") ? ", via relay)" : ")") : " (" + session.path("connect_ms").asLong() + " ms to connect, via "
                + session.path("via").asText() + ")"));
        spec.commandLine().getErr().flush();
        SessionStreams streams = new SessionStreams(daemon.file(), "/v1/sessions/" + id + "/stream");
        InputStream stdin = new FileInputStream(FileDescriptor.in);
        OutputStream stdout = new FileOutputStream(FileDescriptor.out);
        CompletableFuture<Long> sent = CompletableFuture.supplyAsync(() -> {
            try {
                return streams.upload(stdin);
            } catch (IOException e) {
                throw new CliException("sending to " + name + " failed: " + ErrorHandler.message(e), e);
            }
        });
        try {
            streams.download(stdout);
        } catch (IOException e) {
            throw new CliException("receiving from " + name + " failed: " + ErrorHandler.message(e), e);
        }
        try {
            sent.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof CliException c ? c : new CliException(ErrorHandler.message(e.getCause()));
        }
        JsonNode after = daemon.get("/v1/sessions/" + id);
        String readError = after.path("read_error").asText("");
        try {
            daemon.delete("/v1/sessions/" + id);
        } catch (CliException e) {
            // already gone (the peer closed first): nothing left to close
        }
        if (!readError.isEmpty()) {
            throw new CliException("the session with " + name + " ended early: " + readError);
        }
        return 0;
    }
}
