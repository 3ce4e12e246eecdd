package dev.scout.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * examples/python (standard library only) against two live daemons: it sends through Alice's daemon,
 * receives through Bob's event stream, reconnects with Last-Event-ID to get a message that came while it
 * was away, marks both read and sees Alice's receipt turn read_by_contact. A machine without python3 fails this test: it is not skipped.
 */
@Timeout(300)
class PythonClientTest {
    static final Path EXAMPLE = Path.of("..", "examples", "python", "send_and_receive.py").toAbsolutePath().normalize();

    static String python() {
        return CliTestSupport.executable("python3", "the Python client example");
    }

    @Test
    void thePythonExampleReceivesReplaysAfterAReconnectAndMarksRead() throws Exception {
        LiveDaemons d = LiveDaemons.get();
        String text = "hello from Python " + System.nanoTime() + " ünïcödé";
        String out = runExample(EXAMPLE, python(), "--from", d.aliceDir.toString(), "--to", d.bobDir.toString(),
                "--contact", "bob", "--text", text, "--timeout", "120");
        assertThat(out).contains("received from alice").contains(text).contains("replayed after reconnecting")
                .contains("read_by_contact");
    }

    /** Runs {@code interpreter example args} in the example's directory; its output, once it exited 0. */
    static String runExample(Path example, String interpreter, String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(interpreter, example.toString()));
        command.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(command).directory(example.getParent().toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        boolean done = p.waitFor(240, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(done).as("the example finished: " + out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
