package dev.scout.cli.api;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One method on one path pattern ({@code /v1/contacts/{name}}) and what answers it. A plain route
 * returns a JSON {@link ApiResponse}; a streaming route (Server-Sent Events) writes to the exchange itself.
 */
public final class Route {
    /** Answers a request with JSON. */
    @FunctionalInterface
    public interface Handler {
        ApiResponse handle(ApiRequest request);
    }

    /** Writes the whole response itself (headers included) and returns when the stream ends. */
    @FunctionalInterface
    public interface StreamHandler {
        void stream(ApiRequest request, HttpExchange exchange) throws IOException;
    }

    /** Which pool of stream slots a streaming route takes one from while it runs. */
    enum Slots {
        NONE("streams"), EVENTS("event streams"), SESSIONS("session streams");

        final String description;

        Slots(String description) {
            this.description = description;
        }
    }

    private final String method;
    private final Slots slots;
    private final List<String> segments;
    private final Handler handler;
    private final StreamHandler stream;

    private Route(String method, String pattern, Handler handler, StreamHandler stream) {
        this(method, pattern, handler, stream, stream == null ? Slots.NONE : Slots.SESSIONS);
    }

    private Route(String method, String pattern, Handler handler, StreamHandler stream, Slots slots) {
        this.method = method;
        this.slots = slots;
        this.segments = List.of(pattern.substring(1).split("/"));
        this.handler = handler;
        this.stream = stream;
    }

    public static Route get(String pattern, Handler h) {
        return new Route("GET", pattern, h, null);
    }

    public static Route post(String pattern, Handler h) {
        return new Route("POST", pattern, h, null);
    }

    public static Route patch(String pattern, Handler h) {
        return new Route("PATCH", pattern, h, null);
    }

    public static Route delete(String pattern, Handler h) {
        return new Route("DELETE", pattern, h, null);
    }

    public static Route stream(String pattern, StreamHandler h) {
        return new Route("GET", pattern, null, h);
    }

    /** A Server-Sent Events stream: its slots are its own, so open event streams never block session streams. */
    public static Route events(String pattern, StreamHandler h) {
        return new Route("GET", pattern, null, h, Slots.EVENTS);
    }

    /** A POST whose request body the handler reads itself, unbounded (a byte stream), and answers itself. */
    public static Route upload(String pattern, StreamHandler h) {
        return new Route("POST", pattern, null, h);
    }

    String method() {
        return method;
    }

    Slots slots() {
        return slots;
    }

    Handler handler() {
        return handler;
    }

    StreamHandler streamHandler() {
        return stream;
    }

    /** The path parameters if {@code path} matches the pattern, else null. */
    Map<String, String> match(List<String> path) {
        if (path.size() != segments.size()) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            String s = segments.get(i);
            if (s.startsWith("{") && s.endsWith("}")) {
                if (path.get(i).isEmpty()) {
                    return null;
                }
                params.put(s.substring(1, s.length() - 1), path.get(i));
            } else if (!s.equals(path.get(i))) {
                return null;
            }
        }
        return params;
    }
}
