package dev.scout.cli.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.scout.cli.http.LoopbackHttpServer;
import dev.scout.cli.http.SocketExchange;
import dev.scout.sqlite.error.ContactConflictException;
import dev.scout.sqlite.error.InvalidContactNameException;
import dev.scout.sqlite.error.NoIdentityException;
import dev.scout.sqlite.error.StateException;
import dev.scout.sqlite.error.UnknownContactException;
import dev.scout.sqlite.error.UnknownMessageException;
import dev.scout.dht.KeyFormatException;
import dev.scout.dht.LimitExceededException;
import dev.scout.dht.LowOrderKeyException;
import dev.scout.dht.ScoutException;
import dev.scout.dht.DhtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon's local HTTP API (docs/spec.md §6, docs/api.md): a {@link LoopbackHttpServer} on
 * 127.0.0.1 (request heads read without tying up a worker, under timeouts; a {@code Host} or
 * {@code Origin} other than this machine's loopback refused with 403), one bearer token compared in constant time, JSON in and out. Every failure is a 4xx/5xx
 * with {@code {"error": "one line", "code": "stable_code"}} ({@link ErrorCodes}): a missing or wrong token 401 (checked before anything else, so
 * a stranger learns nothing about the paths), an unknown path 404, a known path with another method
 * 405, a body over {@value #MAX_BODY_BYTES} bytes 413.
 *
 * <p>Routes come from {@link Resource}s, one class per resource; adding one is adding a class to the
 * list given to {@link #start}.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    /** Largest request body accepted. A message is at most ~1 KB; contacts and sync requests are smaller. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** Worker threads: streams hold one each while open, so this bounds them too. */
    static final int THREADS = 48;
    /** Streams of each kind ({@link Route.Slots}) open at once, at most (the rest of the workers stay free for requests). */
    static final int MAX_STREAMS = 16;

    private LoopbackHttpServer server;
    private final byte[] expectedAuthorization;
    private final List<Route> routes;
    private final Map<Route.Slots, AtomicInteger> streams = Map.of(
            Route.Slots.EVENTS, new AtomicInteger(), Route.Slots.SESSIONS, new AtomicInteger());

    private ApiServer(String token, List<Route> routes) {
        this.expectedAuthorization = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.routes = List.copyOf(routes);
    }

    /**
     * Starts the API on 127.0.0.1:{@code port} (0 = any free port).
     *
     * @param token the bearer token every request must carry
     */
    public static ApiServer start(int port, String token, List<Resource> resources) throws IOException {
        List<Route> routes = new ArrayList<>();
        resources.forEach(r -> routes.addAll(r.routes()));
        ApiServer api = new ApiServer(token, routes);
        api.server = LoopbackHttpServer.start(port, THREADS, api::exchange);
        return api;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    private void exchange(HttpExchange ex) {
        try (ex) {
            if (!authorized(ex)) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                send(ex, 401, error("missing or wrong bearer token"));
                return;
            }
            List<String> path = segments(ex.getRequestURI().getRawPath());
            if (path == null) {
                send(ex, 400, error("bad_uri", "malformed path: bad %-escape or not UTF-8"));
                return;
            }
            String method = ex.getRequestMethod();
            Set<String> allowed = new LinkedHashSet<>();
            for (Route route : routes) {
                Map<String, String> params = route.match(path);
                if (params == null) {
                    continue;
                }
                if (!route.method().equals(method)) {
                    allowed.add(route.method());
                    continue;
                }
                // An upload route reads its (unbounded, streamed) body itself; every other body is capped.
                byte[] body = route.streamHandler() != null && method.equals("POST") ? new byte[0] : readBody(ex);
                if (body == null) {
                    send(ex, 413, error("the request body is larger than " + MAX_BODY_BYTES + " bytes"));
                    return;
                }
                ApiRequest request;
                try {
                    request = new ApiRequest(method, params, ex.getRequestURI().getRawQuery(), body);
                } catch (ApiException e) {
                    send(ex, e.status(), error(e)); // a malformed query string
                    return;
                }
                if (route.streamHandler() != null) {
                    stream(route, request, ex);
                } else {
                    ApiResponse response = handle(route, request);
                    send(ex, response.status(), response.body());
                    if (response.afterSent() != null) {
                        response.afterSent().run();
                    }
                }
                return;
            }
            if (!allowed.isEmpty()) {
                ex.getResponseHeaders().set("Allow", String.join(", ", allowed));
                send(ex, 405, error(method + " is not allowed here (allowed: " + String.join(", ", allowed) + ")"));
            } else {
                send(ex, 404, error("no such endpoint: " + ex.getRequestURI().getRawPath()));
            }
        } catch (IOException e) {
            LOG.debug("API exchange ended early: {}", e.toString()); // the caller went away
        } catch (RuntimeException e) {
            LOG.warn("API exchange failed", e);
        }
    }

    private ApiResponse handle(Route route, ApiRequest request) {
        try {
            return route.handler().handle(request);
        } catch (ApiException e) {
            return new ApiResponse(e.status(), error(e));
        } catch (RuntimeException e) {
            int status = status(e);
            return new ApiResponse(status, error(ErrorCodes.forException(e, status), oneLine(e)));
        }
    }

    private void stream(Route route, ApiRequest request, HttpExchange ex) throws IOException {
        AtomicInteger open = streams.get(route.slots());
        if (open.incrementAndGet() > MAX_STREAMS) {
            open.decrementAndGet();
            send(ex, 503, error("too_many_streams", "too many " + route.slots().description + " open (at most "
                    + MAX_STREAMS + ")"));
            return;
        }
        try {
            if (ex instanceof SocketExchange s) {
                s.liftBodyTimeout(); // an upload streams for as long as its session lives
            }
            route.streamHandler().stream(request, ex);
        } catch (ApiException e) {
            send(ex, e.status(), error(e)); // refused before the handler sent its headers
        } finally {
            open.decrementAndGet();
        }
    }

    /** The HTTP status for an exception a route let through. */
    public static int status(RuntimeException e) {
        if (e instanceof UnknownContactException || e instanceof UnknownMessageException) {
            return 404;
        }
        if (e instanceof ContactConflictException) {
            return 409;
        }
        if (e instanceof NoIdentityException) {
            return 409;
        }
        if (e instanceof StateException s && s.outOfSpace()) {
            return 507; // nothing was stored, so nothing is acknowledged
        }
        if (e instanceof InvalidContactNameException || e instanceof KeyFormatException || e instanceof LowOrderKeyException
                || e instanceof LimitExceededException || e instanceof IllegalArgumentException) {
            return 400;
        }
        if (e instanceof DhtException) {
            return 502;
        }
        if (e instanceof ScoutException) {
            return 400;
        }
        LOG.warn("API request failed", e);
        return 500;
    }

    private static String oneLine(RuntimeException e) {
        String m = e.getMessage();
        if (m == null || m.isBlank() || !(e instanceof ScoutException || e instanceof DhtException
                || e instanceof IllegalArgumentException)) {
            return "internal error (" + e.getClass().getSimpleName() + ")";
        }
        return m.lines().findFirst().orElse(m);
    }

    private boolean authorized(HttpExchange ex) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        byte[] given = header == null ? new byte[0] : header.getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, expectedAuthorization); // constant time for equal lengths
    }

    /** The body, or null if it is over the cap (the rest is not read). */
    private static byte[] readBody(HttpExchange ex) throws IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.strip()) > MAX_BODY_BYTES) {
                    return null;
                }
            } catch (NumberFormatException e) {
                return null;
            }
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            return body.length > MAX_BODY_BYTES ? null : body;
        }
    }


    /** The decoded path segments after the leading '/', or null if the path is malformed. */
    private static List<String> segments(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/")) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String s : rawPath.substring(1).split("/", -1)) {
            try {
                out.add(PercentDecoding.decode(s, false));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return out;
    }

    public static JsonNode error(String message) {
        return Jackson.object().put("error", message);
    }

    public static JsonNode error(String code, String message) {
        return Jackson.object().put("error", message).put("code", code);
    }

    public static JsonNode error(ApiException e) {
        return error(e.code(), e.getMessage());
    }

    public static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes;
        try {
            bytes = Jackson.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IOException(e);
        }
        if (status >= 300 && body.has("error") && !body.has("code")) {
            // Every error carries a code: the status's when the caller gave none.
            bytes = Jackson.MAPPER.writeValueAsBytes(Jackson.object().put("error", body.get("error").asText())
                    .put("code", ErrorCodes.forStatus(status)));
        }
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Stops accepting, ends open streams and waits briefly for requests in progress. */
    @Override
    public void close() {
        server.close();
    }
}
