package dev.scout.cli.quick;

import dev.scout.app.AppEntries;
import dev.scout.cli.client.JsonValues;
import dev.scout.cli.client.OneLine;
import dev.scout.cli.client.SessionPipe;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.scout.cli.client.JsonValues.asInt;
import static dev.scout.cli.client.JsonValues.asText;
import static dev.scout.cli.client.JsonValues.elements;
import static dev.scout.cli.client.JsonValues.isEmpty;
import static dev.scout.cli.client.JsonValues.path;

/**
 * The daemon commands of {@link QuickArgs}, run through a running daemon without picocli or Jackson.
 * Each prints what its full command prints through the daemon, byte for byte: same requests, same
 * human lines, same {@code --json} lines (QuickPathTest holds them to it).
 */
final class QuickCommands {
    private final QuickArgs args;
    private final DaemonEndpoint daemon;
    private final PrintWriter out;
    private final PrintWriter err;
    private final InputStream stdin;
    private final OutputStream stdout;

    /**
     * @param out    the commands' text output
     * @param err    their error (and pipe's session) line
     * @param stdin  pipe's bytes to send
     * @param stdout where pipe writes the peer's bytes
     */
    QuickCommands(QuickArgs args, DaemonEndpoint daemon, PrintWriter out, PrintWriter err, InputStream stdin, OutputStream stdout) {
        this.args = args;
        this.daemon = daemon;
        this.out = out;
        this.err = err;
        this.stdin = stdin;
        this.stdout = stdout;
    }

    /** Whether the quick path can run this command: false leaves it to the full command (e.g. a too long text). */
    static boolean accepts(QuickArgs args) {
        return !args.command().equals("send")
                || args.positional().get(1).getBytes(StandardCharsets.UTF_8).length
                        <= AppEntries.maxTextBytes(System.currentTimeMillis());
    }

    /** Runs the command: 0, or 1 after one line on stderr. */
    int run() {
        try {
            switch (args.command()) {
                case "status" -> status();
                case "id" -> id();
                case "contacts list" -> contactsList();
                case "contacts show" -> contactsShow(args.positional().get(0));
                case "send" -> send(args.positional().get(0), args.positional().get(1));
                case "pipe" -> new SessionPipe(daemon.api(), err).run(args.positional().get(0), args.device(), stdin, stdout);
                default -> sync(args.positional());
            }
            return 0;
        } catch (RuntimeException e) {
            err.println("scout: " + OneLine.message(e));
            err.flush();
            return 1;
        }
    }

    private void status() {
        Object s = call("GET", "/v1/status", null);
        emit(s, QuickViews.status(s));
    }

    private void id() {
        Object id = call("GET", "/v1/identity", null);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("public_key", asText(path(id, "public_key")));
        o.put("public_key_hex", asText(path(id, "public_key_hex")));
        emit(o, asText(path(id, "public_key")));
    }

    private void contactsList() {
        Object contacts = path(call("GET", "/v1/contacts", null), "contacts");
        for (Object c : elements(contacts)) {
            emit(c, String.format("%-16s %s", asText(path(c, "name")), asText(path(c, "public_key"))));
        }
        if (elements(contacts).isEmpty() && !args.json()) {
            println("no contacts yet: scout contacts add NAME PUBKEY");
        }
    }

    private void contactsShow(String name) {
        Object c = call("GET", "/v1/contacts/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"), null);
        if (args.json()) {
            emit(c, null);
            return;
        }
        Object devices = path(c, "devices");
        out.println("name            " + asText(path(c, "name")));
        out.println("public key      " + asText(path(c, "public_key")));
        out.println("record key      " + asText(path(c, "record_public_key")));
        out.println("record target   " + asText(path(c, "record_target")));
        out.println("devices         " + (isEmpty(devices) ? "none seen yet (scout sync " + name + ")" : JsonValues.size(devices)));
        for (Object d : elements(devices)) {
            out.println("  " + asInt(path(d, "tag")) + " " + asText(path(d, "name")) + " " + JsonValues.plain(path(d, "addresses")));
        }
        out.flush();
    }

    private void send(String name, String text) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("contact", name);
        request.put("text", text);
        Object r = call("POST", "/v1/messages", request);
        emit(r, "sent to " + asText(path(r, "contact")) + " (message " + asText(path(r, "message_id")).substring(0, 12)
                + ", stored on " + asInt(path(r, "stored")) + " nodes)");
    }


    private void sync(List<String> names) {
        Map<String, Object> request = new LinkedHashMap<>();
        if (!names.isEmpty()) {
            request.put("contacts", new ArrayList<Object>(names));
        }
        for (Object r : elements(path(call("POST", "/v1/sync", request), "results"))) {
            emit(r, QuickViews.sync(r));
        }
    }

    private Object call(String method, String path, Map<String, Object> body) {
        return daemon.api().json(method, path, body);
    }

    /** As BaseCommand.emit: {@code json} as one ASCII line with --json, else {@code human} (if not null). */
    private void emit(Object json, String human) {
        if (args.json()) {
            out.println(JsonValues.asciiLine(json));
        } else if (human != null) {
            out.println(human);
        }
        out.flush();
    }

    private void println(String line) {
        out.println(line);
        out.flush();
    }
}
