package dev.scout.cli.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;

/**
 * The two byte streams of one session on the daemon's API ({@code …/sessions/{id}/stream}): a chunked
 * POST carrying our bytes, a chunked GET bringing the peer's. No read timeout: a pipe may idle.
 */
final class SessionStreams {
    private static final int CHUNK = 64 * 1024;
    /** Larger answers to a stream's request are not the daemon's. */
    private static final int MAX_ANSWER_BYTES = 1 << 20;
    private final LocalApi api;
    private final String path;

    SessionStreams(LocalApi api, String path) {
        this.api = api;
        this.path = path;
    }

    /** Sends {@code in} to its end (each read passed on at once, so typed lines travel); the bytes sent. */
    long upload(InputStream in) throws IOException {
        HttpURLConnection c = api.open("POST", path, 0);
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
        return JsonValues.asLong(JsonValues.path(answer(c), "bytes"));
    }

    /** Copies the peer's bytes to {@code out} until the peer ends its stream. */
    void download(OutputStream out) throws IOException {
        HttpURLConnection c = api.open("GET", path, 0);
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

    /** The JSON answer; a 4xx/5xx becomes a one-line {@link Failure} with the daemon's error. */
    private static Object answer(HttpURLConnection c) throws IOException {
        int status = c.getResponseCode();
        InputStream body = status >= 400 ? c.getErrorStream() : c.getInputStream();
        String text = body == null ? "" : new String(body.readNBytes(MAX_ANSWER_BYTES), StandardCharsets.UTF_8);
        return LocalApi.json(status, text);
    }
}
