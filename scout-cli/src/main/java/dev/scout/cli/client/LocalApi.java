package dev.scout.cli.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One HTTP exchange with a daemon's local API: used by the commands' {@code DaemonClient} and by the
 * quick path alike. Without Jackson: the quick path reads the answers with {@link JsonReader}.
 *
 * <p>{@link HttpURLConnection}, not {@code java.net.http.HttpClient}: a command lives for one or two
 * requests, and the newer client sets up TLS defaults when it is built, which costs a short-lived
 * JVM a few hundred milliseconds for nothing (the API is plain HTTP on loopback).
 */
public final class LocalApi {
    /** A health check that takes longer than this means no usable daemon. */
    public static final int HEALTH_TIMEOUT_MILLIS = 3_000;
    /** Longest a call may take: a send or sync runs DHT operations (each bounded at 120 s by the daemon). */
    public static final int CALL_TIMEOUT_MILLIS = 300_000;
    /** Larger answers are not the daemon's. */
    public static final int MAX_ANSWER_BYTES = 16 << 20;
    /** The JSON of an empty object: an empty request or answer body. */
    private static final String EMPTY_OBJECT = "{}";

    /**
     * An answer: its HTTP status and body (the error body for a 4xx/5xx, "" when there is none).
     *
     * @param status the HTTP status
     * @param body   the body as UTF-8 text
     */
    public record Answer(int status, String body) {
    }

    private final String url;
    private final String token;

    /**
     * @param url   the API's base URL, {@code http://127.0.0.1:PORT}
     * @param token the bearer token
     */
    public LocalApi(String url, String token) {
        this.url = url;
        this.token = token;
    }

    /** Whether {@code GET /v1/health} answers 200 within {@link #HEALTH_TIMEOUT_MILLIS}. */
    public boolean healthy() {
        try {
            return exchange("GET", "/v1/health", null, HEALTH_TIMEOUT_MILLIS).status() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * One call with a JSON body (or none).
     *
     * @param method the HTTP method
     * @param path   the path, e.g. {@code /v1/status}
     * @param json   the request body as JSON text, or null
     * @return the answer
     * @throws IOException if the daemon does not answer
     */
    public Answer call(String method, String path, String json) throws IOException {
        return exchange(method, path, json, CALL_TIMEOUT_MILLIS);
    }

    /**
     * One call with a JSON object (or none) as its body, as DaemonClient's calls: the answer's JSON
     * ({@link JsonReader}'s values), or a {@link Failure} with the daemon's error text.
     *
     * @param method the HTTP method
     * @param path   the path, e.g. {@code /v1/sessions}
     * @param body   the request's JSON object, or null for none
     * @return the answer's JSON
     */
    public Object json(String method, String path, Map<String, Object> body) {
        Answer a;
        try {
            a = call(method, path, body == null ? null : body.isEmpty() ? EMPTY_OBJECT : JsonValues.asciiLine(body));
        } catch (IOException e) {
            throw new Failure("the daemon at " + url + " did not answer: " + OneLine.message(e));
        }
        return json(a.status(), a.body());
    }

    /**
     * An answer's JSON; a {@link Failure} for a 4xx/5xx (with the daemon's error text) or a body that is
     * not JSON.
     *
     * @param status the HTTP status
     * @param body   the body ("" for none)
     * @return the JSON
     */
    public static Object json(int status, String body) {
        Object json;
        try {
            json = JsonReader.parse(body.isEmpty() ? EMPTY_OBJECT : body);
        } catch (JsonReader.MalformedJsonException e) {
            throw new Failure("the daemon answered " + status + " without JSON");
        }
        if (status / 100 != 2) {
            String error = JsonValues.asText(JsonValues.path(json, "error"), "");
            throw new Failure(error.isEmpty() ? "the daemon answered " + status : error);
        }
        return json;
    }

    /**
     * A connection for a request of {@code method} to {@code path}, with the token, not yet sent: for
     * a streamed body either way (a session's byte streams).
     *
     * @param method        the HTTP method
     * @param path          the path, e.g. {@code /v1/sessions/ID/stream}
     * @param timeoutMillis the read timeout (0: none)
     * @return the connection
     * @throws IOException if the URL is not one
     */
    public HttpURLConnection open(String method, String path, int timeoutMillis) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url + path).toURL().openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(HEALTH_TIMEOUT_MILLIS);
        c.setReadTimeout(timeoutMillis);
        c.setUseCaches(false);
        c.setRequestProperty("Authorization", "Bearer " + token);
        return c;
    }

    private Answer exchange(String method, String path, String json, int timeoutMillis) throws IOException {
        HttpURLConnection c = open(method, path, timeoutMillis);
        if (json != null) {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            c.setFixedLengthStreamingMode(bytes.length);
            try (OutputStream out = c.getOutputStream()) {
                out.write(bytes);
            }
        }
        int status = c.getResponseCode();
        // Read to the end so the connection can be reused.
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        if (in == null) {
            return new Answer(status, "");
        }
        try (in) {
            return new Answer(status, new String(in.readNBytes(MAX_ANSWER_BYTES), StandardCharsets.UTF_8));
        }
    }
}
