package dev.scout.cli.api;

import com.fasterxml.jackson.databind.JsonNode;

/** A JSON answer: status and body. */
public record ApiResponse(int status, JsonNode body) {
    public static ApiResponse ok(JsonNode body) {
        return new ApiResponse(200, body);
    }

    public static ApiResponse created(JsonNode body) {
        return new ApiResponse(201, body);
    }
}
