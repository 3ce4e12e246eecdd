package dev.scout.cli.api;

import dev.scout.cli.api.daemon.HealthResource;
import com.fasterxml.jackson.databind.JsonNode;
import dev.scout.cli.http.LoopbackHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Through real HTTP on a real socket: callers that send their heads or bodies a byte at a time cannot
 * freeze the API (issue 19, finding 11: 32 of them used to take every JDK HttpServer worker), and
 * requests naming another host (DNS rebinding) or coming from another site's page are refused.
 */
@Timeout(120)
class SlowAndForeignCallersTest {
    private static final String TOKEN = "t0ken";
    private ApiServer api;
    private int port;

    @BeforeEach
    void start() throws IOException {
        Resource echo = () -> List.of(Route.post("/v1/echo", r -> ApiResponse.ok(Jackson.object().put("bytes", r.json().toString().length()))));
        api = ApiServer.start(0, TOKEN, List.of(new HealthResource(), echo));
        port = URI.create(api.url()).getPort();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void healthAnswersWhileManyCallersTrickleTheirHeads() throws Exception {
        int tricklers = 3 * ApiServer.THREADS;
        List<Socket> sockets = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger rounds = new AtomicInteger();
        byte[] head = ("GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < tricklers; i++) {
            sockets.add(new Socket("127.0.0.1", port));
        }
        Thread trickle = new Thread(() -> {
            for (int b = 0; b < head.length - 1 && !stop.get(); b++) {
                for (Socket s : sockets) {
                    try {
                        s.getOutputStream().write(head[b]);
                        s.getOutputStream().flush();
                    } catch (IOException e) {
                        // closed by the server's head timeout: that is allowed
                    }
                }
                rounds.incrementAndGet();
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        trickle.start();
        try {
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (rounds.get() < 2 && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            assertThat(rounds.get()).as("every trickler has sent bytes").isGreaterThanOrEqualTo(2);
            HttpClient client = HttpClient.newHttpClient();
            for (int probe = 0; probe < 5; probe++) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(api.url() + "/v1/health"))
                        .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(3)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
            }
        } finally {
            stop.set(true);
            trickle.join();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    @Test
    void aHeadThatNeverEndsIsClosedAfterTheHeadTimeout() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout((int) LoopbackHttpServer.HEAD_TIMEOUT_MILLIS * 3);
            s.getOutputStream().write("GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            String answer = readAll(s.getInputStream());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(answer).startsWith("HTTP/1.1 408 ");
            assertThat(millis).isLessThan(LoopbackHttpServer.HEAD_TIMEOUT_MILLIS * 2);
        }
    }

    @Test
    void aBodyThatStallsIsDroppedAfterTheBodyTimeout() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(LoopbackHttpServer.BODY_READ_TIMEOUT_MILLIS * 3);
            s.getOutputStream().write(("POST /v1/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Length: 100\r\n\r\n{\"a\":").getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            String answer = readAll(s.getInputStream());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(answer).doesNotStartWith("HTTP/1.1 200");
            assertThat(millis).isLessThan(LoopbackHttpServer.BODY_READ_TIMEOUT_MILLIS * 2);
        }
    }

    @Test
    void aForeignHostIsRefusedWithAJsonError() throws Exception {
        for (String host : List.of("evil.example", "evil.example:" + port, "127.0.0.1.evil.example", "10.0.0.1:" + port)) {
            Answer a = raw("GET /v1/health HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + TOKEN + "\r\n\r\n");
            assertThat(a.status).as(host).isEqualTo(403);
            assertThat(a.json.get("error").asText()).contains("Host");
        }
        assertThat(raw("GET /v1/health HTTP/1.1\r\nAuthorization: Bearer " + TOKEN + "\r\n\r\n").status).isEqualTo(403);
        for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "LOCALHOST", "[::1]:" + port)) {
            Answer a = raw("GET /v1/health HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + TOKEN + "\r\n\r\n");
            assertThat(a.status).as(host).isEqualTo(200);
        }
    }

    @Test
    void anotherSitesPageIsRefused() throws Exception {
        for (String origin : List.of("http://evil.example", "https://127.0.0.1:" + port, "http://127.0.0.1:1", "null")) {
            Answer a = raw("POST /v1/echo HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nOrigin: " + origin
                    + "\r\nAuthorization: Bearer " + TOKEN + "\r\nContent-Length: 2\r\n\r\n{}");
            assertThat(a.status).as(origin).isEqualTo(403);
            assertThat(a.json.get("error").asText()).contains("Origin");
        }
        Answer same = raw("POST /v1/echo HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nOrigin: http://localhost:" + port
                + "\r\nAuthorization: Bearer " + TOKEN + "\r\nContent-Length: 2\r\n\r\n{}");
        assertThat(same.status).isEqualTo(200);
    }

    @Test
    void aChunkedBodyIsRead() throws Exception {
        Answer a = raw("POST /v1/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
                + "\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{\"a\r\n4;x=y\r\n\":1}\r\n0\r\n\r\n");
        assertThat(a.status).isEqualTo(200);
        assertThat(a.json.get("bytes").asInt()).isEqualTo(7); // {"a":1}
    }

    private record Answer(int status, JsonNode json) {
    }

    private Answer raw(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            // Connection: close, so a keep-alive server ends the answer too
            s.getOutputStream().write(request.replaceFirst("\r\n", "\r\nConnection: close\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = readAll(s.getInputStream());
            int status = Integer.parseInt(answer.substring(9, 12));
            return new Answer(status, Jackson.parse(answer.substring(answer.indexOf("\r\n\r\n") + 4)));
        }
    }

    private static String readAll(InputStream in) throws IOException {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.net.SocketException e) {
            return ""; // reset by the server
        }
    }
}
