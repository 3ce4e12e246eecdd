package dev.scout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scout.cli.api.ApiServer;
import dev.scout.cli.api.Jackson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.scout.cli.CliTestSupport.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

/** Local callers that send garbage, too much, or too many at once: 4xx with a JSON error, nothing lost. */
@Timeout(600)
class HostileCallerTest {
    static LiveDaemons d;

    @BeforeAll
    static void daemons() throws Exception {
        d = LiveDaemons.get();
    }

    /** The answer must be {@code status} with a one-line {"error": …} and no stack trace. */
    static void refused(int status, HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode body = Jackson.parse(r.body());
        String error = body.get("error").asText();
        assertThat(error).isNotBlank().doesNotContain("\n").doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void badInputGetsA4xxWithAJsonError() throws Exception {
        DaemonHarness a = d.alice;
        refused(400, a.call("POST", "/v1/messages", "{not json"));
        refused(400, a.call("POST", "/v1/messages", "[1,2]"));
        refused(400, a.call("POST", "/v1/messages", ""));
        refused(400, a.call("POST", "/v1/messages", "{\"contact\": 7, \"text\": \"x\"}"));
        refused(400, a.call("POST", "/v1/messages", "{\"contact\": \"bob\"}"));
        refused(400, a.call("POST", "/v1/messages", "{\"contact\": \"bob\", \"text\": \"x\"} trailing"));
        refused(400, a.call("POST", "/v1/messages", "[".repeat(5000) + "]".repeat(5000)));
        refused(404, a.call("POST", "/v1/messages", "{\"contact\": \"mallory\", \"text\": \"x\"}"));
        refused(400, a.call("POST", "/v1/messages", "{\"contact\": \"bob\", \"text\": \"" + "x".repeat(2000) + "\"}"));
        refused(400, a.call("POST", "/v1/contacts", "{\"name\": \"eve\", \"public_key\": \"not a key\"}"));
        refused(400, a.call("POST", "/v1/contacts", "{\"name\": \"bad name!\", \"public_key\": \"" + d.bobKey + "\"}"));
        refused(409, a.call("POST", "/v1/contacts", "{\"name\": \"bob2\", \"public_key\": \"" + d.bobKey + "\"}"));
        refused(400, a.call("POST", "/v1/contacts", "{\"name\": \"me\", \"public_key\": \"" + d.aliceKey + "\"}"));
        refused(400, a.call("POST", "/v1/dht/get", "{\"target\": \"zz\"}"));
        refused(400, a.call("POST", "/v1/dht/ping", "{\"address\": \"example.com:80\"}"));
        refused(400, a.call("POST", "/v1/sync", "{\"contacts\": \"bob\"}"));
        refused(404, a.call("GET", "/v1/nothing-here", null));
        refused(404, a.call("GET", "/v1/health/extra", null));
        refused(404, a.call("GET", "/", null));
        refused(405, a.call("DELETE", "/v1/health", null));
        refused(405, a.call("PUT", "/v1/messages", "{}"));
    }

    @Test
    void aHugeBodyIsRefusedUnread() throws Exception {
        String big = "{\"contact\": \"bob\", \"text\": \"" + "x".repeat(ApiServer.MAX_BODY_BYTES) + "\"}";
        refused(413, d.alice.call("POST", "/v1/messages", big));
        // A declared length far over the cap is refused before any body arrives.
        URI url = URI.create(d.alice.file.url());
        try (Socket s = new Socket(url.getHost(), url.getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + d.alice.file.token()
                    + "\r\nContent-Length: 1000000000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(head).isEqualTo("HTTP/1.1 413");
        }
    }

    @Test
    void aThousandMalformedRequestsLeaveItAnswering() throws Exception {
        String[] bodies = {"{", "}", "null", "{\"contact\":", "\u0000\u0001", "{\"a\":" + "[".repeat(100), "\"str\"",
                "{\"contacts\":5,\"contact\":5,\"text\":5,\"value\":5,\"target\":5,\"id\":5,\"address\":5,\"name\":5}", "{\"contacts\":[1],\"contact\":[],\"text\":{},\"value\":[],\"target\":[],\"id\":{}}", "1e999999"};
        String[] paths = {"/v1/messages", "/v1/contacts", "/v1/sync", "/v1/dht/put", "/v1/dht/get", "/v1/inbox",
                "/v1/%zz", "/v1/contacts/%00", "/v1/../etc/passwd", "/v1/dht/find-node"};
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                String body = bodies[i % bodies.length];
                String path = paths[(i / bodies.length) % paths.length];
                String auth = i % 7 == 0 ? "Bearer wrong" : "Bearer " + d.alice.file.token();
                answers.add(pool.submit(() -> {
                    try {
                        return d.alice.call("POST", path, body, auth).statusCode();
                    } catch (IllegalArgumentException e) {
                        return 400; // the JDK client itself refuses a URI this bad: nothing reached the daemon
                    }
                }));
            }
            Set<Integer> statuses = new HashSet<>();
            for (Future<Integer> f : answers) {
                statuses.add(f.get(120, TimeUnit.SECONDS));
            }
            assertThat(statuses).allSatisfy(s -> assertThat(s).isBetween(400, 499));
        } finally {
            pool.shutdownNow();
        }
        assertThat(d.alice.expect(200, "GET", "/v1/health", null).get("status").asText()).isEqualTo("ok");
        succeeded(d.aliceCli("id"));
    }

    @Test
    void twentyConcurrentCommandsAllSucceedAndLoseNothing() throws Exception {
        String tag = "burst-" + System.nanoTime() + "-";
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<CliTestSupport.Run>> runs = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                String text = tag + i;
                runs.add(pool.submit(() -> i(text) % 4 == 0 ? d.aliceCli("--json", "sync", "bob")
                        : d.aliceCli("--json", "send", "bob", text)));
            }
            for (Future<CliTestSupport.Run> f : runs) {
                succeeded(f.get(300, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        // Every message that was sent is in Bob's hands once he reads (his daemon polls; inbox asks now).
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            if (i % 4 != 0) {
                expected.add(tag + i);
            }
        }
        Set<String> seen = new HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!seen.containsAll(expected) && System.nanoTime() < deadline) {
            succeeded(d.bobCli("inbox"));
            JsonNode all = d.bob.expect(200, "GET", "/v1/messages?contact=alice", null);
            all.get("messages").forEach(m -> seen.add(m.get("text").asText()));
        }
        assertThat(seen).containsAll(expected);
    }

    private static int i(String text) {
        return Integer.parseInt(text.substring(text.lastIndexOf('-') + 1));
    }
}
