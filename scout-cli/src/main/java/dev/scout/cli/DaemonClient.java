package dev.scout.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.scout.cli.api.Jackson;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The commands' way to a running daemon: found through {@code daemon.json} and a health check, then
 * called over its local API with the bearer token. A failed call becomes a one-line {@link CliException}
 * carrying the daemon's {@code error} text.
 */
final class DaemonClient {
    /** A health check that takes longer than this means no usable daemon. */
    static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(3);
    /** Longest a call may take: a send or sync runs DHT operations (each bounded at 120 s by the daemon). */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(300);

    private final DaemonFile file;
    private final HttpClient http;

    private DaemonClient(DaemonFile file) {
        this.file = file;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(HEALTH_TIMEOUT).build();
    }

    /** The daemon serving {@code stateDir}, if one is running and answers its health check. */
    static Optional<DaemonClient> find(Path stateDir) {
        Optional<DaemonFile> file = DaemonFile.read(stateDir);
        if (file.isEmpty() || !file.get().processAlive()) {
            return Optional.empty();
        }
        DaemonClient client = new DaemonClient(file.get());
        return client.healthy() ? Optional.of(client) : Optional.empty();
    }

    DaemonFile file() {
        return file;
    }

    boolean healthy() {
        try {
            HttpResponse<String> r = http.send(request("/v1/health").timeout(HEALTH_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    JsonNode get(String path) {
        return call(request(path).GET());
    }

    JsonNode post(String path, JsonNode body) {
        return call(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Jackson.line(body))));
    }

    JsonNode delete(String path) {
        return call(request(path).DELETE());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(file.url() + path)).timeout(CALL_TIMEOUT)
                .header("Authorization", "Bearer " + file.token());
    }

    private JsonNode call(HttpRequest.Builder request) {
        HttpResponse<String> r;
        try {
            r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CliException("the daemon at " + file.url() + " did not answer: " + ErrorHandler.message(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
        JsonNode body;
        try {
            body = Jackson.parse(r.body().isEmpty() ? "{}" : r.body());
        } catch (JsonProcessingException e) {
            throw new CliException("the daemon answered " + r.statusCode() + " without JSON");
        }
        if (r.statusCode() / 100 != 2) {
            String error = body.path("error").asText("");
            throw new CliException(error.isEmpty() ? "the daemon answered " + r.statusCode() : error);
        }
        return body;
    }
}
