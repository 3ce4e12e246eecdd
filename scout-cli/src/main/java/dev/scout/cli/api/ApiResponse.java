package dev.scout.cli.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A JSON answer: status and body, and optionally what to do once it has been sent (e.g. stop the
 * daemon, which must not close the server under its own answer).
 */
public record ApiResponse(int status, JsonNode body, Runnable afterSent) {
    public ApiResponse(int status, JsonNode body) {
        this(status, body, null);
    }

    public static ApiResponse ok(JsonNode body) {
        return new ApiResponse(200, body);
    }

    public static ApiResponse created(JsonNode body) {
        return new ApiResponse(201, body);
    }
}
