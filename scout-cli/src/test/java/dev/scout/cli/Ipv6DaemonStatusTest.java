package dev.scout.cli;

import dev.scout.cli.demo.Testnet;

import dev.scout.dht.Addresses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.scout.cli.CliTestSupport.on;
import static dev.scout.cli.CliTestSupport.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A daemon on both families (an IPv4 and an IPv6 loopback testnet in its bootstrap list) reports both
 * external addresses, and {@code scout status} shows them (docs/spec.md §10).
 */
@Timeout(180)
class Ipv6DaemonStatusTest {
    @TempDir
    Path tmp;

    @Test
    void statusShowsTheExternalAddressOfEachFamily() throws Exception {
        try (Testnet four = Testnet.start(8, 0, 60_000, "127.0.0.1");
             Testnet six = Testnet.start(8, 0, 60_000, "::1")) {
            String bootstrap = Addresses.format(four.entry()) + "," + Addresses.format(six.entry());
            Path alice = tmp.resolve("alice");
            succeeded(CliTestSupport.run(on(alice, bootstrap, "init", "--seed", AppCommandsTest.ALICE_SEED)));
            Path out = tmp.resolve("daemon.out");
            Process daemon = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"), ScoutCommand.class.getName(),
                    "--state-dir", alice.toString(), "--bootstrap", bootstrap,
                    "daemon", "--poll-interval", "1", "--republish-interval", "30")
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(tmp.resolve("daemon.err").toFile()).start();
            try {
                awaitStatusWithBothFamilies(daemon, out);
                Map<String, Object> status = succeeded(CliTestSupport.run("--state-dir", alice.toString(), "--json", "status")).json();
                assertThat((String) status.get("external_address")).matches("127\\.0\\.0\\.1:\\d+");
                assertThat((String) status.get("external_address_v6")).matches("\\[::1]:\\d+");
                String human = succeeded(CliTestSupport.run("--state-dir", alice.toString(), "status")).out();
                assertThat(human).containsPattern("external IPv4 +127\\.0\\.0\\.1:\\d+")
                        .containsPattern("external IPv6 +\\[::1]:\\d+");
            } finally {
                daemon.destroy();
                if (!daemon.waitFor(10, TimeUnit.SECONDS)) {
                    daemon.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** Waits for a status line naming an IPv6 external address (each poll writes one). */
    static void awaitStatusWithBothFamilies(Process daemon, Path out) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            List<String> lines = Files.exists(out) ? Files.readAllLines(out) : List.of();
            if (lines.stream().anyMatch(l -> l.contains(" status: routing table ") && l.contains(", [::1]:"))) {
                return;
            }
            if (!daemon.isAlive()) {
                fail("daemon exited (%d): %s", daemon.exitValue(), lines);
            }
            if (System.nanoTime() - deadline >= 0) {
                fail("no status line with an IPv6 external address within 60 s: %s", lines);
            }
            Thread.sleep(100);
        }
    }
}
