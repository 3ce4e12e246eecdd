package dev.scout.cli.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.scout.cli.api.Jackson;

import dev.scout.cli.client.LocalApi;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The commands' way to a running daemon: found through {@code daemon.json} and a health check, then
 * called over its local API ({@link LocalApi}) with the bearer token. A failed call becomes a one-line
 * {@link CliException} carrying the daemon's {@code error} text.
 */
public final class DaemonClient {
    /** A health check that takes longer than this means no usable daemon. */
    public static final int HEALTH_TIMEOUT_MILLIS = LocalApi.HEALTH_TIMEOUT_MILLIS;

    private final DaemonFile file;
    private final LocalApi api;

    private DaemonClient(DaemonFile file) {
        this.file = file;
        this.api = new LocalApi(file.url(), file.token());
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
        return api.healthy();
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

    private JsonNode call(String method, String path, JsonNode body) {
        LocalApi.Answer answer;
        try {
            answer = api.call(method, path, body == null ? null : Jackson.line(body));
        } catch (IOException e) {
            throw new CliException("the daemon at " + file.url() + " did not answer: " + ErrorHandler.message(e), e);
        }
        JsonNode json;
        try {
            json = Jackson.parse(answer.body().isEmpty() ? "{}" : answer.body());
        } catch (JsonProcessingException e) {
            throw new CliException("the daemon answered " + answer.status() + " without JSON");
        }
        if (answer.status() / 100 != 2) {
            String error = json.path("error").asText("");
            throw new CliException(error.isEmpty() ? "the daemon answered " + answer.status() : error);
        }
        return json;
    }
}
