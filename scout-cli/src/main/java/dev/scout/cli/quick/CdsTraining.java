package dev.scout.cli.quick;

import dev.scout.cli.ScoutCommand;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads the classes the common commands load, for a class-data-sharing archive: the {@code ./scout}
 * launcher runs it once per jar with {@code -XX:ArchiveClassesAtExit}. It runs the quick path against
 * a stand-in daemon (a loopback socket answering canned JSON; no DHT, no real daemon; {@code pipe}
 * with nothing to send) and the full command line with and without that daemon, in a scratch state
 * directory.
 */
public final class CdsTraining {
    private static final String CONTACT = "{\"name\":\"bob\",\"public_key\":\"ybndrfg8ejkmcpqxot1uwisza345h769ybndrfg8ejkmcpqxot1u\","
            + "\"public_key_hex\":\"00\",\"added_at\":\"2026-01-01T00:00:00Z\"}";
    private static final String DEVICES = "\"devices\":[{\"tag\":1,\"name\":\"laptop\",\"addresses\":[\"127.0.0.1:6881\"],"
            + "\"outbox_head\":null,\"updated_at\":\"2026-01-01T00:00:00Z\"}]";
    private static final String SESSION = "{\"id\":\"training\",\"contact\":\"bob\",\"remote\":\"127.0.0.1:6881\","
            + "\"incoming\":false,\"claimed\":true,\"connect_ms\":1,\"via\":\"direct\",\"read_error\":null}";
    private static final Map<String, String> ANSWERS = Map.ofEntries(
            Map.entry("/v1/health", "{\"status\":\"ok\"}"),
            Map.entry("/v1/status", "{\"running\":true,\"pid\":1,\"api_url\":\"http://127.0.0.1:1\",\"local_address\":\"127.0.0.1:6881\","
                    + "\"updated_at\":\"2026-01-01T00:00:00Z\",\"routing_table_size\":8,\"external_address\":null,"
                    + "\"reachability\":\"unknown\",\"last_republish\":null,\"last_poll\":null,\"contacts_reachable\":\"0/1\"}"),
            Map.entry("/v1/identity", "{\"public_key\":\"ybndrfg8ejkmcpqxot1uwisza345h769ybndrfg8ejkmcpqxot1u\",\"public_key_hex\":\"00\"}"),
            Map.entry("/v1/contacts", "{\"contacts\":[" + CONTACT + "]}"),
            Map.entry("/v1/contacts/bob", CONTACT.replace("}", ",\"record_public_key\":\"00\",\"record_target\":\"00\"," + DEVICES + "}")),
            Map.entry("/v1/messages", "{\"contact\":\"bob\",\"message_id\":\"00112233445566778899\",\"stored\":8,\"record_seq\":2}"),
            Map.entry("/v1/sync", "{\"results\":[{\"contact\":\"bob\",\"seq\":3,\"stored\":8," + DEVICES + "}]}"),
            // scout pipe: the session, its two streams (the upload's answer; the download gets these few
            // bytes as the peer's), the session's state, and its DELETE
            Map.entry("/v1/sessions", SESSION),
            Map.entry("/v1/sessions/training", SESSION),
            Map.entry("/v1/sessions/training/stream", "{\"bytes\":0}"));

    private CdsTraining() {}

    /**
     * Trains in {@code args[0]}, a scratch directory the caller removes.
     *
     * @param args the scratch directory
     * @throws IOException if the scratch directory cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path scratch = Path.of(args[0]);
        Path withDaemon = Files.createDirectories(scratch.resolve("with-daemon"));
        Path withoutDaemon = Files.createDirectories(scratch.resolve("without-daemon"));
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> serve(server), "cds-training-daemon");
            t.setDaemon(true);
            t.start();
            Files.writeString(withDaemon.resolve("daemon.json"), "{\"url\":\"http://127.0.0.1:" + server.getLocalPort()
                    + "\",\"token\":\"training\",\"pid\":" + ProcessHandle.current().pid() + "}");
            String dir = withDaemon.toString();
            for (boolean json : new boolean[] {false, true}) {
                quick(dir, json, "status");
                quick(dir, json, "id");
                quick(dir, json, "contacts", "list");
                quick(dir, json, "contacts", "show", "bob");
                quick(dir, json, "send", "bob", "hi");
                quick(dir, json, "sync");
            }
            quick(dir, false, "pipe", "bob");
            full("--state-dir", dir, "contacts", "list");
        }
        full("--state-dir", withoutDaemon.toString(), "contacts", "list");
    }

    /** One command on the quick path, with or without --json. */
    private static void quick(String dir, boolean json, String... command) {
        List<String> args = new ArrayList<>(List.of("--state-dir", dir));
        if (json) {
            args.add("--json");
        }
        args.addAll(List.of(command));
        QuickMain.tryRun(args.toArray(String[]::new), Map.of(), sink(), sink());
    }

    private static void full(String... args) {
        CommandLine cl = ScoutCommand.newCommandLine(new ScoutCommand(Map.of()));
        cl.setOut(sink());
        cl.setErr(sink());
        cl.execute(args);
    }

    private static PrintWriter sink() {
        return new PrintWriter(Writer.nullWriter());
    }

    /** The stand-in daemon: a thread per connection, kept alive as the real daemon's are. */
    private static void serve(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> answer(s), "cds-training-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed at the end of the training
            }
        }
    }

    /** One canned answer per request until the client closes the connection. */
    private static void answer(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            String head;
            while (!(head = readHead(in)).isEmpty()) {
                String path = head.split(" ", 3)[1];
                String body = ANSWERS.getOrDefault(path, "{\"error\":\"no such path\"}");
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 " + (ANSWERS.containsKey(path) ? "200 OK" : "404 Not Found")
                        + "\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: " + bytes.length
                        + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(bytes);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // the client went away: training goes on
        }
    }

    /** The request line and headers, and the body as far as Content-Length or its chunks say (discarded). */
    private static String readHead(InputStream in) throws IOException {
        StringWriter head = new StringWriter();
        int c;
        int matched = 0;
        while (matched < 4 && (c = in.read()) >= 0) {
            head.write(c);
            matched = (c == '\r' || c == '\n') ? matched + 1 : 0;
        }
        String text = head.toString();
        for (String line : text.split("\r\n")) {
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                in.readNBytes(Integer.parseInt(line.substring(15).trim()));
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                skipChunks(in);
            }
        }
        return text;
    }

    /** A chunked body to its last chunk and the blank line after it (no trailers: the CLI sends none). */
    private static void skipChunks(InputStream in) throws IOException {
        while (true) {
            StringBuilder size = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                size.append((char) c);
            }
            int n = Integer.parseInt(size.toString().trim(), 16);
            in.readNBytes(n + 2); // the chunk and its CRLF (after the last, empty one: the closing CRLF)
            if (n == 0 || c < 0) {
                return;
            }
        }
    }
}
