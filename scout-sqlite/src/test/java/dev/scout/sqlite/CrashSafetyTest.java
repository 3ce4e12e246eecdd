package dev.scout.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.scout.core.message.MessageId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Killing the process at any moment loses nothing that a command reported as done": a child JVM
 * records messages and reports each id; it is SIGKILLed at a random point, five times on the same
 * directory; every reported message must be there, on one consistent chain.
 */
class CrashSafetyTest {

    private static final String EOF = "<eof>";
    private static final long ROUND_DEADLINE_MILLIS = 60_000;

    @TempDir
    Path tmp;

    @Test
    void sigkillNeverLosesAReportedMessageNorBreaksTheChain() throws Exception {
        Path dir = tmp.resolve("state");
        try (StateStore store = StateStore.open(dir)) {
            store.initIdentity(Keys.seed(1), false);
            store.addContact("bob", Keys.key(2));
        }
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        List<MessageId> reported = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            int killAfter = 1 + random.nextInt(120);
            reported.addAll(runAndKill(dir, round, killAfter, "seed " + seed));
        }

        try (StateStore store = StateStore.open(dir)) {
            List<MessageId> chain = ChainCheck.verify(store, "bob"); // oldest first
            assertThat(chain).as("seed %d", seed).containsAll(reported);
            // Reported ids appear on the chain in the order they were reported...
            int previous = -1;
            for (MessageId id : reported) {
                int index = chain.indexOf(id);
                assertThat(index).as("position of %s (seed %d)", id, seed).isGreaterThan(previous);
                previous = index;
            }
            // ...and the head is the newest reported message or one recorded after it.
            assertThat(chain.indexOf(store.outboxHead("bob"))).isEqualTo(chain.size() - 1)
                    .isGreaterThanOrEqualTo(chain.indexOf(reported.get(reported.size() - 1)));
            assertThat(store.undelivered("bob")).hasSize(chain.size());
        }
        try (Connection c = Keys.raw(dir); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("ok");
        }
    }

    private List<MessageId> runAndKill(Path dir, int round, int killAfter, String context) throws Exception {
        Path stderr = tmp.resolve("child-" + round + ".err");
        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), dir.toString(), "bob")
                .redirectError(stderr.toFile())
                .start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the stream ends when the child is killed
            } finally {
                lines.add(EOF);
            }
        }, "crash-child-reader-" + round);
        reader.setDaemon(true);
        reader.start();
        List<MessageId> reported = new ArrayList<>();
        try {
            long deadline = System.currentTimeMillis() + ROUND_DEADLINE_MILLIS;
            while (reported.size() < killAfter) {
                long left = deadline - System.currentTimeMillis();
                String line = left <= 0 ? null : lines.poll(left, TimeUnit.MILLISECONDS);
                if (line == null) {
                    fail("round %d: no id within %d ms after %d ids (%s); child stderr: %s", round,
                            ROUND_DEADLINE_MILLIS, reported.size(), context, Files.readString(stderr));
                }
                if (line.equals(EOF)) {
                    fail("round %d: child exited after %d ids (%s); stderr: %s", round, reported.size(), context,
                            Files.readString(stderr));
                }
                assertThat(line).hasSize(40);
                reported.add(MessageId.of(HexFormat.of().parseHex(line)));
            }
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close()
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child ended").isTrue();
            reader.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(child.exitValue()).as("killed, not exited").isEqualTo(137);
        return reported;
    }
}
