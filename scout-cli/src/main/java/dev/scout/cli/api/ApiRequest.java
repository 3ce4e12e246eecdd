package dev.scout.cli.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * One API request as a route sees it: method, path parameters ({@code {name}} in the route's pattern),
 * query parameters and the body (at most {@link ApiServer#MAX_BODY_BYTES}, already read).
 */
public final class ApiRequest {
    private final String method;
    private final Map<String, String> pathParams;
    private final Map<String, String> query;
    private final byte[] body;

    ApiRequest(String method, Map<String, String> pathParams, String rawQuery, byte[] body) {
        this.method = method;
        this.pathParams = Map.copyOf(pathParams);
        this.query = parseQuery(rawQuery);
        this.body = body;
    }

    public String method() {
        return method;
    }

    /** A path parameter of the route's pattern. */
    public String path(String name) {
        return pathParams.get(name);
    }

    /** A query parameter, or null. */
    public String query(String name) {
        return query.get(name);
    }

    /** The names of the query parameters given. */
    public Set<String> queryNames() {
        return query.keySet();
    }

    /** The body as a JSON object; 400 if it is missing, not UTF-8, not JSON or not an object. */
    public JsonNode json() {
        if (body.length == 0) {
            throw ApiException.badRequest("missing_body", "the request needs a JSON object body");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("invalid_utf8", "the body is not valid UTF-8");
        }
        JsonNode node;
        try {
            node = Jackson.parse(text);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("invalid_json", "malformed JSON: "
                    + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
        if (!node.isObject()) {
            throw ApiException.badRequest("invalid_json", "the body must be a JSON object");
        }
        return node;
    }

    /** The body's object, or an empty one when there is no body. */
    public JsonNode jsonOrEmpty() {
        return body.length == 0 ? Jackson.object() : json();
    }

    /** A required string field of the body. */
    public static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual()) {
            throw ApiException.badRequest("invalid_field", "\"" + field + "\" must be a string");
        }
        return v.asText();
    }

    /** An optional string field of the body (null when absent). */
    public static String optionalText(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.badRequest("invalid_field", "\"" + field + "\" must be a string");
        }
        return v.asText();
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&", 32)) {
            int eq = pair.indexOf('=');
            try {
                String k = PercentDecoding.decode(eq < 0 ? pair : pair.substring(0, eq), true);
                String v = eq < 0 ? "" : PercentDecoding.decode(pair.substring(eq + 1), true);
                out.putIfAbsent(k, v);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("bad_query", "malformed query string (" + e.getMessage() + ")");
            }
        }
        return out;
    }
}
