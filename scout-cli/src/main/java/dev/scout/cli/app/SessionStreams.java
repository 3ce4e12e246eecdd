package dev.scout.cli.app;

import dev.scout.cli.common.CliException;
import dev.scout.cli.common.DaemonClient;
import dev.scout.cli.common.DaemonFile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scout.cli.api.Jackson;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The two byte streams of one session on the daemon's API ({@code …/sessions/{id}/stream}): a chunked
 * POST carrying our bytes, a chunked GET bringing the peer's. No read timeout: a pipe may idle.
 */
public final class SessionStreams {
    private static final int CHUNK = 64 * 1024;
    private final DaemonFile daemon;
    private final String path;

    public SessionStreams(DaemonFile daemon, String path) {
        this.daemon = daemon;
        this.path = path;
    }

    private HttpURLConnection open(String method) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(daemon.url() + path).toURL().openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(DaemonClient.HEALTH_TIMEOUT_MILLIS);
        c.setReadTimeout(0);
        c.setUseCaches(false);
        c.setRequestProperty("Authorization", "Bearer " + daemon.token());
        return c;
    }

    /** Sends {@code in} to its end (each read passed on at once, so typed lines travel); the bytes sent. */
    public long upload(InputStream in) throws IOException {
        HttpURLConnection c = open("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/octet-stream");
        c.setChunkedStreamingMode(CHUNK);
        byte[] buf = new byte[CHUNK];
        try (OutputStream out = c.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        }
        JsonNode answer = answer(c);
        return answer.path("bytes").asLong();
    }

    /** Copies the peer's bytes to {@code out} until the peer ends its stream. */
    public void download(OutputStream out) throws IOException {
        HttpURLConnection c = open("GET");
        int status = c.getResponseCode();
        if (status != 200) {
            answer(c);
            return;
        }
        byte[] buf = new byte[CHUNK];
        try (InputStream in = c.getInputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        }
    }

    /** The JSON answer; a 4xx/5xx becomes a one-line {@link CliException} with the daemon's error. */
    private static JsonNode answer(HttpURLConnection c) throws IOException {
        int status = c.getResponseCode();
        InputStream body = status >= 400 ? c.getErrorStream() : c.getInputStream();
        String text = body == null ? "" : new String(body.readNBytes(1 << 20), StandardCharsets.UTF_8);
        JsonNode json;
        try {
            json = Jackson.parse(text.isEmpty() ? "{}" : text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CliException("the daemon answered " + status + " without JSON");
        }
        if (status / 100 != 2) {
            String error = json.path("error").asText("");
            throw new CliException(error.isEmpty() ? "the daemon answered " + status : error);
        }
        return json;
    }
}
