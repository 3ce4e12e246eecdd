package dev.scout.cli.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.scout.cli.api.Jackson;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The commands' way to a running daemon: found through {@code daemon.json} and a health check, then
 * called over its local API with the bearer token. A failed call becomes a one-line {@link CliException}
 * carrying the daemon's {@code error} text.
 *
 * <p>{@link HttpURLConnection}, not {@code java.net.http.HttpClient}: a command lives for one or two
 * requests, and the newer client sets up TLS defaults when it is built, which costs a short-lived
 * JVM a few hundred milliseconds for nothing (the API is plain HTTP on loopback).
 */
public final class DaemonClient {
    /** A health check that takes longer than this means no usable daemon. */
    public static final int HEALTH_TIMEOUT_MILLIS = 3_000;
    /** Longest a call may take: a send or sync runs DHT operations (each bounded at 120 s by the daemon). */
    public static final int CALL_TIMEOUT_MILLIS = 300_000;
    /** Larger answers are not the daemon's. */
    public static final int MAX_ANSWER_BYTES = 16 << 20;

    private final DaemonFile file;

    private DaemonClient(DaemonFile file) {
        this.file = file;
    }

    /** The daemon serving {@code stateDir}, if one is running and answers its health check. */
    public static Optional<DaemonClient> find(Path stateDir) {
        Optional<DaemonFile> file = DaemonFile.read(stateDir);
        if (file.isEmpty() || !file.get().processAlive()) {
            return Optional.empty();
        }
        DaemonClient client = new DaemonClient(file.get());
        return client.healthy() ? Optional.of(client) : Optional.empty();
    }

    public DaemonFile file() {
        return file;
    }

    public boolean healthy() {
        try {
            HttpURLConnection c = open("GET", "/v1/health", HEALTH_TIMEOUT_MILLIS);
            int status = c.getResponseCode();
            drain(c, status);
            return status == 200;
        } catch (IOException e) {
            return false;
        }
    }

    public JsonNode get(String path) {
        return call("GET", path, null);
    }

    public JsonNode post(String path, JsonNode body) {
        return call("POST", path, body);
    }

    public JsonNode delete(String path) {
        return call("DELETE", path, null);
    }

    private HttpURLConnection open(String method, String path, int timeoutMillis) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(file.url() + path).toURL().openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(HEALTH_TIMEOUT_MILLIS);
        c.setReadTimeout(timeoutMillis);
        c.setUseCaches(false);
        c.setRequestProperty("Authorization", "Bearer " + file.token());
        return c;
    }

    private JsonNode call(String method, String path, JsonNode body) {
        int status;
        String answer;
        try {
            HttpURLConnection c = open(method, path, CALL_TIMEOUT_MILLIS);
            if (body != null) {
                byte[] bytes = Jackson.line(body).getBytes(StandardCharsets.UTF_8);
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", "application/json");
                c.setFixedLengthStreamingMode(bytes.length);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(bytes);
                }
            }
            status = c.getResponseCode();
            answer = drain(c, status);
        } catch (IOException e) {
            throw new CliException("the daemon at " + file.url() + " did not answer: " + ErrorHandler.message(e), e);
        }
        JsonNode json;
        try {
            json = Jackson.parse(answer.isEmpty() ? "{}" : answer);
        } catch (JsonProcessingException e) {
            throw new CliException("the daemon answered " + status + " without JSON");
        }
        if (status / 100 != 2) {
            String error = json.path("error").asText("");
            throw new CliException(error.isEmpty() ? "the daemon answered " + status : error);
        }
        return json;
    }

    /** The answer's body (the error stream for a 4xx/5xx), read to the end so the connection can be reused. */
    private static String drain(HttpURLConnection c, int status) throws IOException {
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        if (in == null) {
            return "";
        }
        try (in) {
            byte[] bytes = in.readNBytes(MAX_ANSWER_BYTES);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
