package dev.scout.cli;

import dev.scout.cli.common.DaemonFile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.scout.cli.api.Jackson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static dev.scout.cli.CliTestSupport.on;
import static dev.scout.cli.CliTestSupport.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/openapi.yaml against a running daemon: every documented operation, sent with its documented
 * example, answers a documented status with a body that has the documented required fields and no
 * undocumented ones; the documented error answers are provoked (malformed bodies, unknown ids) and
 * carry a documented code; paths the document does not list answer 404. {@code POST /v1/stop} runs last and must stop the daemon.
 */
@Timeout(600)
class OpenApiConformanceTest {
    static final Path SPEC = Path.of("..", "docs", "openapi.yaml");

    @TempDir
    Path tmp;

    @Test
    void theRunningServerAnswersAsDocumented() throws Exception {
        LiveDaemons live = LiveDaemons.get();
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(SPEC));
        Path dir = tmp.resolve("carla");
        succeeded(CliTestSupport.run(on(dir, live.entry, "init")));
        succeeded(CliTestSupport.run(on(dir, live.entry, "contacts", "add", "bob", live.bobKey)));
        DaemonHarness daemon = DaemonHarness.start(dir, live.entry);
        try {
            List<String> checked = new ArrayList<>();
            String stopPath = null;
            for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
                Map.Entry<String, JsonNode> path = paths.next();
                for (String method : List.of("get", "post", "patch", "delete")) {
                    JsonNode op = path.getValue().get(method);
                    if (op == null) {
                        continue;
                    }
                    if (path.getKey().equals("/v1/stop")) {
                        stopPath = path.getKey();
                        continue;
                    }
                    check(doc, daemon, live, path.getKey(), path.getValue(), method, op);
                    checked.add(method.toUpperCase() + " " + path.getKey());
                }
            }
            assertThat(checked).hasSizeGreaterThanOrEqualTo(29);
            for (String undocumented : List.of("/v1", "/v1/", "/v2/health", "/v1/healthz", "/v1/contacts/bob/extra",
                    "/v1/dht", "/v1/dht/unknown", "/favicon.ico", "/v1/sessions/x/y/z")) {
                HttpResponse<String> r = daemon.call("GET", undocumented, null);
                assertThat(r.statusCode()).as(undocumented).isEqualTo(404);
                assertThat(Jackson.parse(r.body()).get("error").asText()).isNotBlank();
            }
            assertThat(stopPath).isNotNull();
            JsonNode stop = doc.get("paths").get(stopPath).get("post");
            HttpResponse<String> r = daemon.call("POST", stopPath, null);
            conforms(doc, stop, "POST " + stopPath, r.statusCode(), r.body());
            assertThat(daemon.awaitExit()).as(daemon.log()).isZero();
            assertThat(DaemonFile.path(dir)).doesNotExist();
        } finally {
            daemon.stop();
        }
    }

    private static void check(JsonNode doc, DaemonHarness daemon, LiveDaemons live, String pattern, JsonNode pathItem,
                              String method, JsonNode op) throws Exception {
        String path = pattern;
        List<String> query = new ArrayList<>();
        List<JsonNode> params = new ArrayList<>();
        pathItem.path("parameters").forEach(params::add);
        op.path("parameters").forEach(params::add);
        for (JsonNode p : params) {
            if (p.get("in").asText().equals("header")) {
                continue; // optional headers (Last-Event-ID): EventsReplayTest sends them
            }
            String value = URLEncoder.encode(p.get("example").asText(), StandardCharsets.UTF_8);
            if (p.get("in").asText().equals("path")) {
                path = path.replace("{" + p.get("name").asText() + "}", value);
            } else {
                query.add(p.get("name").asText() + "=" + value);
            }
        }
        if (!query.isEmpty()) {
            path += "?" + String.join("&", query);
        }
        String what = method.toUpperCase() + " " + path;
        JsonNode example = op.path("requestBody").path("content").path("application/json").path("example");
        String body = null;
        if (!example.isMissingNode()) {
            ObjectNode b = (ObjectNode) Jackson.MAPPER.readTree(Jackson.MAPPER.writeValueAsString(example));
            if (b.has("address")) {
                b.put("address", live.entry); // the one value the document cannot know
            }
            body = Jackson.line(b);
        }
        if (op.path("responses").has("200") && op.path("responses").path("200").path("content").has("text/event-stream")) {
            checkStream(daemon, path);
            return;
        }
        HttpResponse<String> r = daemon.call(method.toUpperCase(), path, body);
        conforms(doc, op, what, r.statusCode(), r.body());
        provokeDocumentedErrors(doc, daemon, pattern, method, op);
        HttpResponse<String> anonymous = daemon.call(method.toUpperCase(), path, body, null);
        conforms(doc, op, what + " without a token", anonymous.statusCode(), anonymous.body());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    private static void checkStream(DaemonHarness daemon, String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(daemon.file.url() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + daemon.file.token()).GET().build();
        HttpResponse<InputStream> r = DaemonHarness.HTTP.send(req, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            assertThat(in.readLine()).isEqualTo("retry: 2000");
            assertThat(in.readLine()).isEqualTo("event: ready");
            assertThat(in.readLine()).isEqualTo("data: {}");
        }
    }

    /** The status is documented for the operation, and the JSON body has the documented required fields. */
    private static void conforms(JsonNode doc, JsonNode op, String what, int status, String body) throws Exception {
        JsonNode response = op.path("responses").get(Integer.toString(status));
        assertThat(response).as(what + " answered an undocumented " + status + ": " + body).isNotNull();
        response = resolve(doc, response);
        JsonNode schema = response.path("content").path("application/json").path("schema");
        if (schema.isMissingNode()) {
            return;
        }
        JsonNode json = Jackson.parse(body);
        for (String field : required(doc, schema)) {
            assertThat(json.has(field)).as(what + " (" + status + ") lacks \"" + field + "\": " + body).isTrue();
        }
        List<String> documented = properties(doc, schema);
        if (!documented.isEmpty()) {
            json.fieldNames().forEachRemaining(field -> assertThat(documented)
                    .as(what + " (" + status + ") answered the undocumented field \"" + field + "\": " + body).contains(field));
        }
        if (status >= 400) {
            JsonNode codes = doc.at("/components/schemas/Error/properties/code/enum");
            List<String> known = new ArrayList<>();
            codes.forEach(c -> known.add(c.asText()));
            assertThat(known).as(what + " (" + status + ") answered an undocumented code: " + body).contains(json.path("code").asText());
        }
    }

    /**
     * The documented error answers are real: a malformed body ("{") gets a documented 400 where the
     * operation takes a body, and an unknown path parameter a documented 404 (or 400 when malformed).
     */
    private static void provokeDocumentedErrors(JsonNode doc, DaemonHarness daemon, String pattern, String method,
                                                JsonNode op) throws Exception {
        JsonNode responses = op.path("responses");
        if (op.has("requestBody") && op.path("requestBody").path("content").has("application/json")) {
            String path = pattern.replaceAll("\\{[^}]+}", "bob");
            HttpResponse<String> r = daemon.call(method.toUpperCase(), path, "{");
            if (r.statusCode() != 404) { // a body on an unknown contact's path may be refused for the path first
                assertThat(r.statusCode()).as(method + " " + path + " with a malformed body: " + r.body()).isEqualTo(400);
                assertThat(responses.has("400")).as(method + " " + pattern + " answers 400 but does not document it").isTrue();
                conforms(doc, op, method + " " + path + " (malformed body)", r.statusCode(), r.body());
            }
        }
        if (pattern.contains("{")) {
            String path = pattern.replaceAll("\\{[^}]+}", "nosuch");
            HttpResponse<String> r = daemon.call(method.toUpperCase(), path, op.has("requestBody") ? "{}" : null);
            assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isIn(400, 404);
            conforms(doc, op, method + " " + path + " (unknown)", r.statusCode(), r.body());
        }
    }

    /** The property names a schema documents (empty: it does not list them, so any field is allowed). */
    private static List<String> properties(JsonNode doc, JsonNode schema) {
        schema = resolve(doc, schema);
        List<String> out = new ArrayList<>();
        schema.path("properties").fieldNames().forEachRemaining(out::add);
        for (JsonNode s : schema.path("allOf")) {
            out.addAll(properties(doc, s));
        }
        return out;
    }

    private static List<String> required(JsonNode doc, JsonNode schema) {
        schema = resolve(doc, schema);
        List<String> out = new ArrayList<>();
        schema.path("required").forEach(f -> out.add(f.asText()));
        schema.path("allOf").forEach(s -> out.addAll(required(doc, s)));
        return out;
    }

    private static JsonNode resolve(JsonNode doc, JsonNode node) {
        while (node.has("$ref")) {
            String ref = node.get("$ref").asText();
            assertThat(ref).startsWith("#/");
            node = doc.at(ref.substring(1));
            assertThat(node.isMissingNode()).as(ref).isFalse();
        }
        return node;
    }
}
