package dev.scout.cli.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.scout.cli.client.JsonValues.asBoolean;
import static dev.scout.cli.client.JsonValues.asLong;
import static dev.scout.cli.client.JsonValues.asText;
import static dev.scout.cli.client.JsonValues.has;
import static dev.scout.cli.client.JsonValues.path;

/**
 * What {@code scout pipe NAME} does through the running daemon (docs/spec.md §7): opens a session with
 * the contact ({@code POST /v1/sessions}), says so in one line on stderr, sends {@code in} to the peer
 * while copying the peer's bytes to {@code out}, and closes the session when both directions have ended.
 *
 * <p>Jackson-free and lambda-free, so the quick path runs it in a JVM that has loaded little: the two
 * pipes of a first connect start together, and the peer's first byte waits for the slower JVM's start.
 * The full command line ({@code PipeCommand}) runs the same code. Failures are one line each:
 * the daemon's error, or which direction failed and why.
 */
public final class SessionPipe {
    private final LocalApi daemon;
    private final PrintWriter err;

    /**
     * @param daemon the running daemon's API
     * @param err    where the session line goes
     */
    public SessionPipe(LocalApi daemon, PrintWriter err) {
        this.daemon = daemon;
        this.err = err;
    }

    /**
     * Runs the pipe to its end.
     *
     * @param name   the contact
     * @param device only this device of the contact, or null for any
     * @param in     our bytes (stdin)
     * @param out    where the peer's bytes go (stdout)
     * @throws RuntimeException with the one line to print when the session cannot be opened or breaks
     */
    public void run(String name, String device, InputStream in, OutputStream out) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("contact", name);
        if (device != null) {
            request.put("device", device);
        }
        Object session = daemon.json("POST", "/v1/sessions", request);
        String id = asText(path(session, "id"));
        err.println(sessionLine(session));
        err.flush();
        SessionStreams streams = new SessionStreams(daemon, "/v1/sessions/" + id + "/stream");
        Upload upload = new Upload(streams, in, name);
        upload.start();
        try {
            streams.download(out);
        } catch (IOException e) {
            throw new Failure("receiving from " + name + " failed: " + OneLine.message(e));
        }
        try {
            upload.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted");
        }
        if (upload.failure != null) {
            throw upload.failure;
        }
        String readError = asText(path(daemon.json("GET", "/v1/sessions/" + id, null), "read_error"), "");
        try {
            daemon.json("DELETE", "/v1/sessions/" + id, null);
        } catch (Failure e) {
            // already gone (the peer closed first): nothing left to close
        }
        if (!readError.isEmpty()) {
            throw new Failure("the session with " + name + " ended early: " + readError);
        }
    }

    /** {@code scout pipe: session with NAME at ADDRESS (…)}: who, where, and how it came about. */
    static String sessionLine(Object session) {
        boolean relayed = has(session, "relay");
        return "scout pipe: session with " + asText(path(session, "contact")) + " at "
                + (relayed ? "relay " + asText(path(session, "relay")) : asText(path(session, "remote")))
                + (asBoolean(path(session, "incoming"), false)
                ? " (they opened it" + (relayed ? ", via relay)" : ")")
                : " (" + asLong(path(session, "connect_ms")) + " ms to connect, via " + asText(path(session, "via")) + ")");
    }

    /** Our bytes to the peer, on a thread of its own while the peer's come in (a class, not a lambda: see above). */
    private static final class Upload extends Thread {
        private final SessionStreams streams;
        private final InputStream in;
        private final String name;
        private volatile RuntimeException failure;

        Upload(SessionStreams streams, InputStream in, String name) {
            super("scout-pipe-upload");
            setDaemon(true);
            this.streams = streams;
            this.in = in;
            this.name = name;
        }

        @Override
        public void run() {
            try {
                streams.upload(in);
            } catch (IOException e) {
                failure = new Failure("sending to " + name + " failed: " + OneLine.message(e));
            } catch (RuntimeException e) {
                failure = e;
            }
        }
    }
}
