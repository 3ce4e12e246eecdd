package dev.scout.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;

/**
 * examples/node (Node.js standard library only) against two live daemons: it sends through Bob's daemon,
 * receives through Alice's event stream, reconnects with Last-Event-ID to get a message that came while
 * it was away, marks both read and sees Bob's receipt turn read_by_contact. A machine without node fails
 * this test: it is not skipped.
 */
@Timeout(300)
class NodeClientTest {
    static final Path EXAMPLE = Path.of("..", "examples", "node", "send_and_receive.mjs").toAbsolutePath().normalize();

    @Test
    void theNodeExampleReceivesReplaysAfterAReconnectAndMarksRead() throws Exception {
        LiveDaemons d = LiveDaemons.get();
        String text = "hello from Node " + System.nanoTime() + " ünïcödé";
        String out = PythonClientTest.runExample(EXAMPLE, CliTestSupport.executable("node", "the Node.js client example"),
                "--from", d.bobDir.toString(), "--to", d.aliceDir.toString(), "--contact", "alice", "--text", text,
                "--timeout", "120");
        org.assertj.core.api.Assertions.assertThat(out).contains("received from bob").contains(text)
                .contains("replayed after reconnecting").contains("read_by_contact");
    }
}
