package dev.scout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scout.cli.api.Jackson;
import dev.scout.cli.quick.QuickMain;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static dev.scout.cli.CliTestSupport.failedWith;
import static dev.scout.cli.CliTestSupport.on;
import static dev.scout.cli.CliTestSupport.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Direct sessions through two live daemons on a loopback testnet: {@code scout pipe} (real processes,
 * real stdin/stdout) moving over 1 MB each way, the session endpoints over real HTTP with their events,
 * and a removed contact refused.
 */
@Timeout(300)
class SessionsTest {
    static LiveDaemons d;

    @TempDir
    Path tmp;

    @BeforeAll
    static void daemons() throws Exception {
        d = LiveDaemons.get();
    }

    /**
     * {@code scout pipe CONTACT} as a real process with stdin, stdout and stderr on files, started as
     * {@code ./scout} starts it (scout.jar's main class: the quick path).
     */
    static Process pipe(Path stateDir, String contact, Path in, Path out, Path err, String... options) throws Exception {
        return pipe(QuickMain.class, stateDir, contact, in, out, err, options);
    }

    /** As {@link #pipe(Path, String, Path, Path, Path, String...)} with {@code main} as the main class. */
    static Process pipe(Class<?> main, Path stateDir, String contact, Path in, Path out, Path err, String... options)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                main.getName(), "--state-dir", stateDir.toString(), "pipe", contact));
        command.addAll(List.of(options));
        return new ProcessBuilder(command).redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    @Test
    void scoutPipeMovesAMegabyteEachWayIntact() throws Exception {
        Random random = new Random(13);
        byte[] a = new byte[(1 << 20) + 4321];
        byte[] b = new byte[(1 << 20) + 777];
        random.nextBytes(a);
        random.nextBytes(b);
        Path aIn = Files.write(tmp.resolve("a.in"), a);
        Path bIn = Files.write(tmp.resolve("b.in"), b);
        long t0 = System.nanoTime();
        // Alice's pipe takes the quick path, Bob's the full command line: the same session, the same lines.
        Process alice = pipe(d.aliceDir, "bob", aIn, tmp.resolve("a.out"), tmp.resolve("a.err"));
        Process bob = pipe(ScoutCommand.class, d.bobDir, "alice", bIn, tmp.resolve("b.out"), tmp.resolve("b.err"));
        boolean aliceDone = alice.waitFor(120, TimeUnit.SECONDS);
        boolean bobDone = bob.waitFor(120, TimeUnit.SECONDS);
        String aliceErr = Files.readString(tmp.resolve("a.err"));
        String bobErr = Files.readString(tmp.resolve("b.err"));
        alice.destroyForcibly();
        bob.destroyForcibly();
        assertThat(aliceDone && bobDone).as(aliceErr + bobErr + d.alice.log() + d.bob.log()).isTrue();
        assertThat(alice.exitValue()).as(aliceErr).isZero();
        assertThat(bob.exitValue()).as(bobErr).isZero();
        assertThat(sha256(tmp.resolve("b.out"))).isEqualTo(sha256(aIn));
        assertThat(sha256(tmp.resolve("a.out"))).isEqualTo(sha256(bIn));
        for (String transcript : List.of(aliceErr, bobErr)) {
            assertThat(transcript).matches("scout pipe: session with (alice|bob) at (relay )?\\S+ \\((they opened it"
                    + "(, via relay)?|\\d+ ms to connect, via \\w+)\\)\\R");
        }
        System.out.printf("scout pipe: %d + %d bytes both ways in %d ms (two JVM starts included)%n", a.length, b.length,
                (System.nanoTime() - t0) / 1_000_000);
    }

    @Test
    void pipeWithoutADaemonSaysToStartOne() throws Exception {
        Path dir = tmp.resolve("lonely");
        succeeded(CliTestSupport.run(on(dir, d.entry, "init")));
        String line = failedWith(1, CliTestSupport.run("--state-dir", dir.toString(), "pipe", "bob"));
        assertThat(line).contains("scout daemon").doesNotContain("Exception");
    }

    /** Nonsense for --relay-via: one line naming the option, exit 2, no daemon started. */
    @Test
    void aBadRelayAddressIsRefusedWithOneLine() throws Exception {
        Path dir = tmp.resolve("relay-args");
        succeeded(CliTestSupport.run(on(dir, d.entry, "init")));
        for (String bad : List.of("nonsense", "relay.example:0", "0.0.0.0:6881", "[::1:6881")) {
            String line = failedWith(2, CliTestSupport.run("--state-dir", dir.toString(), "daemon", "--relay-via", bad));
            assertThat(line).as(bad).startsWith("scout: --relay-via").doesNotContain("Exception");
        }
        String both = failedWith(2, CliTestSupport.run("--state-dir", dir.toString(), "daemon", "--relay", "--no-relay"));
        assertThat(both).startsWith("scout: --relay and --no-relay contradict each other");
    }

    @Test
    void theSessionEndpointsOverHttpWithTheirEvents() throws Exception {
        try (EventStream bobEvents = EventStream.open(d.bob)) {
            JsonNode opened = d.alice.expect(201, "POST", "/v1/sessions", "{\"contact\": \"bob\"}");
            String aliceId = opened.get("id").asText();
            assertThat(opened.get("contact").asText()).isEqualTo("bob");
            assertThat(opened.get("public_key").asText()).isEqualTo(d.bobKey);
            assertThat(opened.get("peer").asText()).isEqualTo(d.bobKey);
            JsonNode incoming = bobEvents.await(e -> e.type().equals("session_incoming")
                    && e.data().get("contact").asText().equals("alice")).data();
            String bobId = incoming.get("id").asText();
            JsonNode listed = d.bob.expect(200, "GET", "/v1/sessions", null);
            assertThat(listed.get("sessions").findValuesAsText("id")).contains(bobId);
            // Bob claims that incoming session by its id; nobody can claim it twice.
            assertThat(d.bob.expect(201, "POST", "/v1/sessions", "{\"id\": \"" + bobId + "\"}").get("id").asText())
                    .isEqualTo(bobId);
            JsonNode twice = d.bob.expect(409, "POST", "/v1/sessions", "{\"id\": \"" + bobId + "\"}");
            assertThat(twice.get("code").asText()).isEqualTo("session_taken");
            assertThat(d.bob.expect(404, "POST", "/v1/sessions", "{\"id\": \"0000\"}").get("code").asText())
                    .isEqualTo("unknown_session");

            HttpResponse<String> sent = d.alice.call("POST", "/v1/sessions/" + aliceId + "/stream", "hello bob\n");
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
            assertThat(Jackson.parse(sent.body()).get("bytes").asLong()).isEqualTo(10);
            HttpRequest read = HttpRequest.newBuilder(URI.create(d.bob.file.url() + "/v1/sessions/" + bobId + "/stream"))
                    .header("Authorization", "Bearer " + d.bob.file.token()).timeout(Duration.ofSeconds(60)).GET().build();
            HttpResponse<InputStream> got = DaemonHarness.HTTP.send(read, HttpResponse.BodyHandlers.ofInputStream());
            assertThat(got.statusCode()).isEqualTo(200);
            try (InputStream in = got.body()) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello bob\n");
            }
            // One reader per session: a second GET is refused.
            assertThat(d.bob.call("GET", "/v1/sessions/" + bobId + "/stream", null).statusCode()).isEqualTo(409);

            assertThat(d.alice.expect(200, "DELETE", "/v1/sessions/" + aliceId, null).get("closed").asBoolean()).isTrue();
            JsonNode closed = bobEvents.await(e -> e.type().equals("session_closed") && e.data().get("id").asText().equals(bobId)).data();
            assertThat(closed.get("contact").asText()).isEqualTo("alice");
            assertThat(d.alice.call("GET", "/v1/sessions/" + aliceId, null).statusCode()).isEqualTo(404);
            assertThat(d.alice.call("POST", "/v1/sessions", "{\"contact\": \"nobody\"}").statusCode()).isEqualTo(404);
        }
    }

    /**
     * The rendezvous through the record: Dave's daemon acts as if behind a cone NAT, so it skips the
     * direct attempt and writes a connect intent; Alice's daemon sees it at its next read of the record
     * and both send at the intent's start time. Then the kept-open NAT permission: both daemons keep
     * that session's path open, so Dave's next connect goes straight to it — no intent, no record
     * read — and says so ({@code via: path}).
     */
    @Test
    void aDaemonBehindANatConnectsThroughAConnectIntent() throws Exception {
        Path daveDir = tmp.resolve("dave");
        String daveKey = aliceBefriends("dave", daveDir);
        DaemonHarness dave = DaemonHarness.startWith(daveDir, d.entry, java.util.List.of("--assume-nat", "cone",
                "--session-poll", "500"));
        try (EventStream aliceEvents = EventStream.open(d.alice)) {
            succeeded(d.aliceCli("sync", "dave"));
            JsonNode s = dave.expect(201, "POST", "/v1/sessions", "{\"contact\": \"alice\"}");
            assertThat(s.get("connect_ms").asLong()).isGreaterThan(START_FLOOR_MILLIS);
            assertThat(s.get("via").asText()).isEqualTo("intent");
            assertThat(dave.log()).doesNotContain("ERROR")
                    .contains("scout: warning: --session-poll is no longer used and is ignored");
            JsonNode incoming = aliceEvents.await(e -> e.type().equals("session_incoming")
                    && e.data().get("contact").asText().equals("dave")).data();
            assertThat(incoming.get("peer").asText()).isEqualTo(daveKey);
            dave.expect(200, "DELETE", "/v1/sessions/" + s.get("id").asText(), null);

            JsonNode again = dave.expect(201, "POST", "/v1/sessions", "{\"contact\": \"alice\"}");
            assertThat(again.get("via").asText()).as(dave.log()).isEqualTo("path");
            assertThat(again.get("peer").asText()).isEqualTo(d.aliceKey);
            // The session works: a line goes through it to Alice's side.
            HttpResponse<String> sent = dave.call("POST", "/v1/sessions/" + again.get("id").asText() + "/stream", "via path\n");
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
            assertThat(Jackson.parse(sent.body()).get("bytes").asLong()).isEqualTo(9);
            assertThat(awaitSessionWith(d.alice, "dave").get("peer").asText()).isEqualTo(daveKey);
            System.out.println("connect through a connect intent: " + s.get("connect_ms").asLong()
                    + " ms; then through the kept-open path: " + again.get("connect_ms").asLong() + " ms");
            dave.expect(200, "DELETE", "/v1/sessions/" + again.get("id").asText(), null);
        } finally {
            dave.stop();
            CliTestSupport.run(on(d.aliceDir, "127.0.0.1:9", "contacts", "remove", "dave"));
        }
    }

    /** The open session {@code daemon} holds with {@code contact}, waiting for it to appear. */
    private static JsonNode awaitSessionWith(DaemonHarness daemon, String contact) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            for (JsonNode s : daemon.expect(200, "GET", "/v1/sessions", null).get("sessions")) {
                if (s.get("contact").asText().equals(contact) && s.get("state").asText().equals("open")) {
                    return s;
                }
            }
            assertThat(System.nanoTime()).as("a session with " + contact).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** A new identity in {@code dir} with Alice as contact, added to Alice's contacts as {@code name}; its key. */
    private static String aliceBefriends(String name, Path dir) {
        String key = succeeded(CliTestSupport.run(on(dir, d.entry, "init"))).out().strip();
        succeeded(CliTestSupport.run(on(dir, d.entry, "contacts", "add", "alice", d.aliceKey)));
        succeeded(d.aliceCli("contacts", "add", name, key));
        return key;
    }

    /** Dave's intent starts at least one of Alice's record reads (2 s by default) after it is written; direct takes ms. */
    private static final long START_FLOOR_MILLIS = 2_000;

    @Test
    void aRemovedContactCannotConnect() throws Exception {
        Path carolDir = tmp.resolve("carol");
        String carolKey = aliceBefriends("carol", carolDir);
        DaemonHarness carol = DaemonHarness.start(carolDir, d.entry);
        try {
            // While a contact, Carol gets a session (so the refusal below is the removal's doing).
            succeeded(d.aliceCli("sync", "carol"));
            JsonNode ok = carol.expect(201, "POST", "/v1/sessions", "{\"contact\": \"alice\"}");
            carol.expect(200, "DELETE", "/v1/sessions/" + ok.get("id").asText(), null);

            succeeded(d.aliceCli("contacts", "remove", "carol"));
            long t0 = System.nanoTime();
            HttpResponse<String> refused = carol.call("POST", "/v1/sessions", "{\"contact\": \"alice\"}");
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(504);
            assertThat(Jackson.parse(refused.body()).get("error").asText()).contains("no direct path").contains("NAT");
            assertThat(millis).isLessThan(15_500);
            JsonNode aliceSessions = d.alice.expect(200, "GET", "/v1/sessions", null);
            assertThat(aliceSessions.get("sessions").findValuesAsText("contact")).doesNotContain("carol");
        } finally {
            carol.stop();
            CliTestSupport.run(on(d.aliceDir, "127.0.0.1:9", "contacts", "remove", "carol"));
        }
    }
}
