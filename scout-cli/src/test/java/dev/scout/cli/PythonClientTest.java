package dev.scout.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * examples/python (standard library only) against two live daemons: it sends through Alice's daemon and
 * receives through Bob's event stream. A machine without python3 fails this test: it is not skipped.
 */
@Timeout(300)
class PythonClientTest {
    static final Path EXAMPLE = Path.of("..", "examples", "python", "send_and_receive.py").toAbsolutePath().normalize();

    static String python() {
        for (String candidate : new String[] {"/usr/bin/python3", "/usr/local/bin/python3"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "python3"))) {
                return Path.of(dir, "python3").toString();
            }
        }
        throw new AssertionError("python3 is required by the Python client example (install python3); not found in "
                + "/usr/bin, /usr/local/bin or PATH");
    }

    @Test
    void thePythonExampleSendsThroughOneDaemonAndReceivesThroughTheOther() throws Exception {
        LiveDaemons d = LiveDaemons.get();
        String text = "hello from Python " + System.nanoTime() + " ünïcödé";
        Process p = new ProcessBuilder(python(), EXAMPLE.toString(), "--from", d.aliceDir.toString(), "--to",
                d.bobDir.toString(), "--contact", "bob", "--text", text, "--timeout", "120")
                .directory(EXAMPLE.getParent().toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        assertThat(p.waitFor(240, TimeUnit.SECONDS)).as("the example finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("received from alice").contains(text);
    }
}
