package dev.scout.cli;

import dev.scout.cli.demo.Testnet;
import com.fasterxml.jackson.databind.JsonNode;
import dev.scout.dht.Addresses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static dev.scout.cli.CliTestSupport.on;
import static dev.scout.cli.CliTestSupport.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19: with its state directory on a full filesystem the daemon exited ({@code [SQLITE_FULL]}).
 * On a real tmpfs of a few MiB, filled to the last byte: the daemon keeps serving its API, reports
 * the condition in {@code GET /v1/status} and on the event stream, acknowledges nothing it could not
 * store, and recovers by itself once space is freed. Needs root (mount); fails loudly without it.
 */
@Timeout(300)
class FullDiskTest {
    @TempDir
    Path tmp;

    @Test
    void aFullDiskIsReportedAndRecoveredFromWithoutLosingAnythingAcknowledged() throws Exception {
        Path alice = tmp.resolve("alice");
        Path bob = tmp.resolve("bob");
        Files.createDirectories(alice);
        mount(alice);
        try (Testnet net = Testnet.start(16, 0, 60_000)) {
            String entry = Addresses.format(net.entry());
            CliTestSupport.pair(entry, alice, bob);
            DaemonHarness daemon = DaemonHarness.start(alice, entry);
            try (EventStream events = EventStream.open(daemon)) {
                Path filler = alice.resolve("filler");
                fill(filler);

                // The daemon's own writes (its status, every poll) now fail: it says so and goes on.
                JsonNode failing = awaitStatus(daemon, s -> !s.path("storage").path("ok").asBoolean(true));
                assertThat(failing.path("storage").path("error").asText()).contains("SQLITE_FULL");
                assertThat(events.await(e -> e.type().equals("storage")).data().path("ok").asBoolean()).isFalse();
                assertThat(daemon.exited()).as(daemon.log()).isFalse();
                daemon.expect(200, "GET", "/v1/health", null);
                assertThat(succeeded(CliTestSupport.run("--state-dir", alice.toString(), "status")).out())
                        .contains("storage         writes failing since");

                // A message it cannot store is not acknowledged: 507 with a JSON error, nothing claimed.
                HttpResponse<String> refused = daemon.call("POST", "/v1/messages", "{\"contact\": \"bob\", \"text\": \"while full\"}");
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(507);
                assertThat(refused.body()).contains("\"error\"");

                Files.delete(filler);
                JsonNode recovered = awaitStatus(daemon, s -> s.path("storage").path("ok").asBoolean(false));
                assertThat(recovered.path("storage").has("error")).isFalse();
                assertThat(events.await(e -> e.type().equals("storage")).data().path("ok").asBoolean()).isTrue();
                daemon.expect(201, "POST", "/v1/messages", "{\"contact\": \"bob\", \"text\": \"after the disk was freed\"}");
            } finally {
                daemon.stop();
            }
            String inbox = succeeded(CliTestSupport.run(on(bob, entry, "inbox"))).out();
            assertThat(inbox).contains("after the disk was freed").doesNotContain("while full");
        } finally {
            umount(alice);
        }
    }

    private static JsonNode awaitStatus(DaemonHarness daemon, Predicate<JsonNode> wanted) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            assertThat(daemon.exited()).as("the daemon exited\n" + daemon.log()).isFalse();
            JsonNode s = daemon.expect(200, "GET", "/v1/status", null);
            if (wanted.test(s)) {
                return s;
            }
            assertThat(System.nanoTime()).as("status never matched; last: " + s + "\n" + daemon.log()).isLessThan(deadline);
            Thread.sleep(100); // polling an HTTP status between checks of a deadline, not a guess at timing
        }
    }

    /** Writes until the filesystem refuses a byte. */
    private static void fill(Path filler) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
        }
        try (OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.APPEND)) {
            for (int i = 0; i < 4096; i++) {
                out.write(0); // the last partial block
                out.flush();
            }
        } catch (IOException e) {
            // full to the byte
        }
    }

    private static void mount(Path dir) throws Exception {
        run("mount", "-t", "tmpfs", "-o", "size=6m,mode=0700", "tmpfs", dir.toString());
    }

    private static void umount(Path dir) throws Exception {
        run("umount", "-l", dir.toString());
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", cmd) + " (this test needs root to mount a tmpfs): " + out).isZero();
    }
}
