package dev.scout.cli.api.sessions;

import dev.scout.cli.api.ApiException;
import dev.scout.cli.api.ApiRequest;
import dev.scout.cli.api.ApiResponse;
import dev.scout.cli.api.ApiServer;
import dev.scout.cli.api.Jackson;
import dev.scout.cli.api.Resource;
import dev.scout.cli.api.Route;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import dev.scout.session.SessionException;
import dev.scout.session.SessionStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * Direct sessions (docs/api.md): {@code POST /v1/sessions} {"contact"} opens one (or takes the contact's
 * unclaimed incoming one; {"device"} limits it to the contact's device of that name); {@code GET
 * /v1/sessions} lists them; {@code GET /v1/sessions/{id}} describes one; {@code GET
 * /v1/sessions/{id}/stream} is the peer's bytes as a chunked response, ending when the peer ends its stream; {@code POST /v1/sessions/{id}/stream} sends the (chunked) request body as our
 * stream, whose end is the body's end; {@code DELETE /v1/sessions/{id}} closes it cleanly.
 */
public final class SessionsResource implements Resource {
    private static final int CHUNK = 64 * 1024;
    private final DaemonSessions sessions;

    public SessionsResource(DaemonSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.post("/v1/sessions", r -> {
                    JsonNode body = r.json();
                    String id = ApiRequest.optionalText(body, "id");
                    if (id != null) {
                        String contact = ApiRequest.optionalText(body, "contact");
                        String with = sessions.get(id).contact();
                        if (contact != null && !contact.equalsIgnoreCase(with)) {
                            throw ApiException.badRequest("session " + id + " is with " + with + ", not " + contact);
                        }
                        return ApiResponse.created(sessions.claim(id).json());
                    }
                    String contact = ApiRequest.text(body, "contact");
                    return ApiResponse.created(sessions.open(contact, ApiRequest.optionalText(body, "device")).json());
                }),
                Route.get("/v1/sessions", r -> {
                    ArrayNode list = Jackson.array();
                    sessions.list().forEach(s -> list.add(s.json()));
                    return ApiResponse.ok(Jackson.object().set("sessions", list));
                }),
                Route.get("/v1/sessions/{id}", r -> ApiResponse.ok(sessions.get(r.path("id")).json())),
                Route.delete("/v1/sessions/{id}", r -> {
                    sessions.close(r.path("id"));
                    return ApiResponse.ok(Jackson.object().put("id", r.path("id")).put("closed", true));
                }),
                Route.stream("/v1/sessions/{id}/stream", this::read),
                Route.upload("/v1/sessions/{id}/stream", this::write));
    }

    /** The peer's stream, chunk by chunk as it arrives (flushed, so a line typed there shows here at once). */
    private void read(ApiRequest r, HttpExchange ex) throws IOException {
        LiveSession s;
        SessionStream theirs;
        try {
            s = sessions.get(r.path("id"));
            theirs = s.acceptTheirs().get();
        } catch (ApiException e) {
            ApiServer.send(ex, e.status(), ApiServer.error(e));
            return;
        } catch (ExecutionException e) {
            ApiServer.send(ex, 410, ApiServer.error("the session ended before the peer opened a stream: "
                    + e.getCause().getMessage()));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        byte[] buf = new byte[CHUNK];
        InputStream in = theirs.input();
        while (true) {
            int n;
            try {
                n = in.read(buf);
            } catch (IOException e) {
                s.readFailed(e.getMessage()); // the caller sees it in GET /v1/sessions/{id} after the body ends
                return;
            }
            if (n < 0) {
                return;
            }
            out.write(buf, 0, n);
            out.flush();
        }
    }

    /** The request body as our stream; its end ends the stream. Answers {"bytes"} once all is handed over. */
    private void write(ApiRequest r, HttpExchange ex) throws IOException {
        LiveSession s;
        SessionStream ours;
        try {
            s = sessions.get(r.path("id"));
            ours = s.openOurs();
        } catch (ApiException e) {
            ex.getRequestBody().close();
            ApiServer.send(ex, e.status(), ApiServer.error(e));
            return;
        } catch (SessionException e) {
            ApiServer.send(ex, 410, ApiServer.error(e.getMessage()));
            return;
        }
        long total = 0;
        byte[] buf = new byte[CHUNK];
        try (InputStream in = ex.getRequestBody()) {
            OutputStream out = ours.output();
            int n;
            while ((n = in.read(buf)) >= 0) {
                try {
                    out.write(buf, 0, n);
                } catch (IOException e) {
                    ApiServer.send(ex, 410, ApiServer.error("the session ended after " + total + " bytes: " + e.getMessage()));
                    return;
                }
                total += n;
            }
            try {
                out.close();
            } catch (IOException e) {
                ApiServer.send(ex, 410, ApiServer.error("the session ended after " + total + " bytes: " + e.getMessage()));
                return;
            }
        }
        ApiServer.send(ex, 200, Jackson.object().put("id", s.id).put("bytes", total));
    }
}
