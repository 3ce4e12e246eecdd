package dev.scout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scout.cli.api.Jackson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed requests over real HTTP, each answered with a 4xx and a JSON body {"error", "code"} whose code
 * is the documented one: bad length, bad URI, bad JSON, wrong types, unknown ids, bad names, bad texts.
 */
@Timeout(120)
class ApiErrorsTest {
    /** One malformed request and the answer it must get. */
    record Case(String method, String path, byte[] body, int status, String code) {
        static Case of(String method, String path, String body, int status, String code) {
            return new Case(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), status, code);
        }
    }

    @Test
    void everyMalformedRequestGetsAJsonErrorWithItsCode() throws Exception {
        LiveDaemons live = LiveDaemons.get();
        String key = live.bobKey;
        String zeros = "0".repeat(40);
        List<Case> cases = List.of(
                new Case("POST", "/v1/messages", new byte[70_000], 413, "body_too_large"),
                Case.of("GET", "/v1/contacts/%C3%28", null, 400, "bad_uri"),
                Case.of("GET", "/v1/contacts/%FF%FE", null, 400, "bad_uri"),
                Case.of("GET", "/v1/messages?contact=%FF", null, 400, "bad_query"),
                Case.of("POST", "/v1/messages", "{\"contact\": ", 400, "invalid_json"),
                Case.of("POST", "/v1/messages", "[1, 2]", 400, "invalid_json"),
                Case.of("POST", "/v1/messages", null, 400, "missing_body"),
                new Case("POST", "/v1/messages", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'}, 400, "invalid_utf8"),
                Case.of("POST", "/v1/messages", "{\"contact\": 5, \"text\": \"x\"}", 400, "invalid_field"),
                Case.of("POST", "/v1/messages", "{\"contact\": \"bob\", \"text\": [\"x\"]}", 400, "invalid_field"),
                Case.of("POST", "/v1/messages", "{\"contact\": \"bob\", \"text\": \"\"}", 400, "empty_text"),
                Case.of("POST", "/v1/messages", "{\"contact\": \"bob\", \"text\": \"a\\ud800b\"}", 400, "invalid_text"),
                Case.of("POST", "/v1/messages", "{\"contact\": \"nobody\", \"text\": \"x\"}", 404, "unknown_contact"),
                Case.of("GET", "/v1/messages/" + zeros, null, 404, "unknown_message"),
                Case.of("GET", "/v1/messages/not-an-id", null, 400, "invalid_message_id"),
                Case.of("POST", "/v1/messages/read", "{\"contact\": \"bob\", \"up_to\": \"" + zeros + "\"}", 404, "unknown_message"),
                Case.of("GET", "/v1/sessions/nosuchsession", null, 404, "unknown_session"),
                Case.of("POST", "/v1/contacts", "{\"name\": \".\", \"public_key\": \"" + key + "\"}", 400, "invalid_name"),
                Case.of("POST", "/v1/contacts", "{\"name\": \"..\", \"public_key\": \"" + key + "\"}", 400, "invalid_name"),
                Case.of("POST", "/v1/contacts", "{\"name\": \"ok-name\", \"public_key\": \"nonsense\"}", 400, "invalid_key"),
                Case.of("PUT", "/v1/contacts", "{}", 405, "method_not_allowed"),
                Case.of("GET", "/v1/nothing-here", null, 404, "not_found"));
        assertThat(cases).hasSizeGreaterThanOrEqualTo(20);
        for (Case c : cases) {
            HttpResponse<String> r = send(live.alice, c, "Bearer " + live.alice.file.token());
            String what = c.method() + " " + c.path() + " -> " + r.statusCode() + " " + r.body();
            assertThat(r.statusCode()).as(what).isEqualTo(c.status());
            assertThat(r.headers().firstValue("Content-Type").orElse("")).as(what).startsWith("application/json");
            JsonNode body = Jackson.parse(r.body());
            assertThat(body.get("code").asText()).as(what).isEqualTo(c.code());
            assertThat(body.get("error").asText()).as(what).isNotBlank();
        }
        HttpResponse<String> noToken = send(live.alice, Case.of("GET", "/v1/status", null, 401, "unauthorized"), "Bearer wrong");
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(Jackson.parse(noToken.body()).get("code").asText()).isEqualTo("unauthorized");
    }

    /**
     * A body far over the limit is refused unread, yet a caller still sending it gets the 413: the server
     * answers, half-closes and keeps reading (and dropping) what comes, rather than resetting the connection
     * under the caller's writes (which is what a client that writes its whole body before reading meets).
     */
    @Test
    void aBodyOverTheLimitGetsItsJson413AndTheCallerMayFinishSendingIt() throws Exception {
        LiveDaemons live = LiveDaemons.get();
        URI url = URI.create(live.alice.file.url());
        int length = 512 * 1024;
        try (java.net.Socket s = new java.net.Socket(url.getHost(), url.getPort())) {
            s.setSoTimeout(10_000);
            java.io.OutputStream out = s.getOutputStream();
            out.write(("POST /v1/messages HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort() + "\r\nAuthorization: Bearer "
                    + live.alice.file.token() + "\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8); // up to the server's FIN
            assertThat(answer).startsWith("HTTP/1.1 413").contains("\"code\":\"body_too_large\"");
            byte[] chunk = new byte[16 * 1024];
            for (int sent = 0; sent < length; sent += chunk.length) {
                out.write(chunk); // the server reads and drops it: no reset, no broken pipe
                out.flush();
            }
        }
    }

    private static HttpResponse<String> send(DaemonHarness d, Case c, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(d.file.url() + c.path())).timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization)
                .method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(c.body()));
        try {
            return DaemonHarness.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new AssertionError(c.method() + " " + c.path() + ": no answer", e);
        }
    }
}
