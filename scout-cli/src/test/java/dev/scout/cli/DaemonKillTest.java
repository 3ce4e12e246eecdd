package dev.scout.cli;

import dev.scout.cli.common.DaemonFile;
import dev.scout.cli.demo.Testnet;

import dev.scout.cli.CliTestSupport.Run;
import dev.scout.app.OutgoingMessage;
import dev.scout.sqlite.StateStore;
import dev.scout.core.message.MessageId;
import dev.scout.dht.Addresses;
import dev.scout.dht.udp.DhtNode;
import dev.scout.dht.NodeId;
import dev.scout.dht.krpc.KrpcCodec;
import dev.scout.dht.krpc.KrpcQuery;
import dev.scout.dht.krpc.KrpcResponse;
import dev.scout.dht.krpc.Query;
import dev.scout.dht.krpc.Want;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static dev.scout.cli.CliTestSupport.jsonLines;
import static dev.scout.cli.CliTestSupport.on;
import static dev.scout.cli.CliTestSupport.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@code scout daemon} as a real child JVM ({@code dev.scout.cli.ScoutCommand ... daemon}) next to
 * in-process commands on the same state directory: SIGKILLed at random points it never loses a
 * message that {@code send} reported as sent; it logs incoming messages, keeps {@code scout status}
 * current, and exits 0 on SIGTERM.
 */
@Timeout(240)
class DaemonKillTest {
    /** How long a child JVM may take to start and join on a loaded machine. */
    static final long START_MILLIS = 60_000;
    static final int ROUNDS = 4;
    /** Bounds the sends while one daemon lives (Bob reads them all at the end, one DHT lookup each). */
    static final int MAX_SENDS_PER_ROUND = 6;
    /** Children still running, SIGKILLed if the test JVM exits early. */
    static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static Testnet net;
    static String entry;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startNetwork() {
        net = Testnet.start(20, 0, 60_000);
        entry = Addresses.format(net.entry());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly)));
    }

    @AfterAll
    static void stopNetwork() {
        if (net != null) {
            net.close();
        }
    }

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process p : LIVE) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        LIVE.clear();
    }

    static Run ok(Path dir, String... args) {
        return succeeded(CliTestSupport.run(on(dir, entry, args)));
    }

    @Test
    void sigkillAtRandomPointsNeverLosesAReportedSend() throws Exception {
        Path alice = tmp.resolve("alice");
        Path bob = tmp.resolve("bob");
        CliTestSupport.pair(entry, alice, bob);
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        String context = "seed " + seed;

        List<String> reported = new ArrayList<>(); // message ids, in send order
        List<String> texts = new ArrayList<>();
        List<String> unanswered = new ArrayList<>(); // sends whose answer died with the daemon
        int attempted = 0;
        int killedWhileUp = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Daemon daemon = Daemon.start(tmp, alice, "round-" + round);
            // Even rounds: SIGKILL at a random time from the start (maybe while the JVM starts or joins);
            // odd rounds: at a random time after it is up (republishing, polling, writing its status).
            boolean afterReady = round % 2 == 1;
            long delay = afterReady ? random.nextInt(2_000) : 300 + random.nextInt(3_500);
            Thread killer = new Thread(() -> {
                try {
                    if (afterReady) {
                        daemon.awaitLine(l -> l.startsWith("scout daemon: "), START_MILLIS);
                    }
                    Thread.sleep(delay); // the random kill point itself, not a wait for anything
                } catch (InterruptedException | AssertionError e) {
                    // kill now; the exit status check below reports a daemon that died by itself
                }
                daemon.process.destroyForcibly();
            }, "daemon-killer-" + round);
            killer.setDaemon(true);
            killer.start();

            // Alice sends at once (while the JVM starts), then again each time the daemon has printed
            // something (it is working: joining, republishing, polling), until it is killed.
            int i = 0;
            int seen = 0;
            do {
                String text = "round " + round + " message " + i++ + " (" + context + ")";
                attempted++;
                Run r = CliTestSupport.run(on(alice, entry, "--json", "send", "bob", text));
                // A send works while the daemon runs (through it) or after it died (with its own node). Only
                // a send the daemon was answering when it was killed may fail; it may or may not have been
                // recorded before the kill (its answer was lost), and is then delivered like any other.
                if (r.exit() != 0) {
                    assertThat(r.err()).as("%s; %s; daemon log %s", context, r, daemon.log()).contains("did not answer");
                    assertThat(daemon.process.waitFor(30, TimeUnit.SECONDS)).as("failed only because it was killed").isTrue();
                    unanswered.add(text);
                    seen = daemon.awaitOutputOrExit(seen, START_MILLIS);
                    continue;
                }
                String id = (String) r.json().get("message_id");
                assertThat(id).matches("[0-9a-f]{40}");
                reported.add(id);
                texts.add(text);
                seen = daemon.awaitOutputOrExit(seen, START_MILLIS);
            } while (daemon.process.isAlive() && i < MAX_SENDS_PER_ROUND);
            killer.join(START_MILLIS + 5_000);
            assertThat(daemon.process.waitFor(30, TimeUnit.SECONDS)).as("daemon killed, round %d", round).isTrue();
            assertThat(daemon.process.exitValue()).as("round %d: killed by SIGKILL, did not exit on its own; %s; %s",
                    round, daemon.log(), daemon.stderr()).isEqualTo(137);
            LIVE.remove(daemon.process);
            if (daemon.log().stream().anyMatch(l -> l.startsWith("scout daemon: "))) {
                killedWhileUp++;
            }
        }
        // The odd rounds killed a daemon that was up and working.
        assertThat(killedWhileUp).as(context).isGreaterThanOrEqualTo(ROUNDS / 2);
        assertThat(reported.size() + unanswered.size()).isEqualTo(attempted);
        assertThat(reported).doesNotHaveDuplicates();

        // Alice's store has every reported message, on her chain to Bob in send order (newest first);
        // an unanswered send may sit between them.
        List<String> chain;
        try (StateStore store = StateStore.open(alice)) {
            chain = new ArrayList<>(store.outgoing("bob").stream().map(OutgoingMessage::id).map(MessageId::toHex).toList());
        }
        Collections.reverse(chain); // oldest first
        assertThat(chain).as(context).containsSubsequence(reported).hasSizeLessThanOrEqualTo(attempted);
        // A daemon started on that directory after all the kills comes up and republishes.
        Daemon last = Daemon.start(tmp, alice, "after-kills");
        last.awaitLine(l -> l.contains(" republished "), START_MILLIS);
        last.process.destroy();
        assertThat(last.process.waitFor(20, TimeUnit.SECONDS)).as("stopped on SIGTERM; %s", last.log()).isTrue();
        assertThat(last.process.exitValue()).as(last.stderr()).isZero();
        LIVE.remove(last.process);

        // Bob receives all of them, oldest first, with their texts, and nothing else.
        List<Map<String, Object>> inbox = jsonLines(ok(bob, "--json", "inbox"));
        assertThat(inbox).as(context).extracting(m -> m.get("message_id")).containsExactlyElementsOf(chain);
        assertThat(inbox).extracting(m -> m.get("text")).containsSubsequence(texts)
                .allSatisfy(t -> assertThat(texts.contains(t) || unanswered.contains(t)).as("%s", t).isTrue());
        assertThat(ok(bob, "inbox").out().strip()).isEqualTo("no new messages");
    }

    @Test
    void daemonLogsMessagesKeepsStatusAndStopsCleanlyOnSigterm() throws Exception {
        Path alice = tmp.resolve("alice");
        Path bob = tmp.resolve("bob");
        String[] keys = CliTestSupport.pair(entry, alice, bob);
        Daemon daemon = Daemon.start(tmp, alice, "logging");
        String banner = daemon.awaitLine(l -> l.startsWith("scout daemon: "), START_MILLIS);
        assertThat(banner).contains(keys[0]).contains("127.0.0.1:").endsWith(", 1 contacts");
        daemon.awaitLine(l -> l.contains(" status: routing table "), START_MILLIS);

        String text = "are you up? " + Long.toHexString(new Random().nextLong());
        Instant beforeSend = Instant.now();
        Map<String, Object> sent = ok(bob, "--json", "send", "alice", text).json();
        String logged;
        try {
            logged = daemon.awaitLine(l -> l.contains("message from bob: "), 30_000);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nBob's send: " + sent + "\n" + recordDiagnostics(alice, bob), e);
        }
        assertThat(logged).endsWith("message from bob: " + text);
        // The daemon fetched it, Alice has not read it yet: her inbox shows it once, then marks it read.
        assertThat(ok(alice, "inbox").out().strip()).endsWith("] bob: " + text);
        assertThat(ok(alice, "inbox").out().strip()).isEqualTo("no new messages");

        // The poll that found Bob's message recorded itself: status shows it, and a populated routing table.
        daemon.awaitLine(l -> l.contains(" status: routing table "), 30_000);
        Map<String, Object> status = ok(alice, "--json", "status").json();
        assertThat(status).containsKeys("updated_at", "routing_table_size", "external_address", "last_republish",
                "last_poll", "contacts_reachable");
        Instant lastPoll = Instant.parse((String) status.get("last_poll"));
        assertThat(lastPoll).as("%s", status).isAfter(beforeSend);
        assertThat(Duration.between(lastPoll, Instant.now())).isLessThan(Duration.ofSeconds(30));
        assertThat((Long) status.get("routing_table_size")).as("%s", status).isPositive();
        assertThat(status.get("last_republish")).isNotNull();
        assertThat(status.get("contacts_reachable")).isEqualTo("1/1");
        String human = ok(alice, "status").out();
        assertThat(human).startsWith("daemon running (pid ").contains("routing table").contains("last poll");
        assertThat(alice.resolve(DaemonFile.NAME)).exists();

        // SIGTERM: a clean stop, exit status 0, within a few seconds.
        long t0 = System.nanoTime();
        daemon.process.destroy();
        assertThat(daemon.process.waitFor(10, TimeUnit.SECONDS)).as("exited on SIGTERM; %s", daemon.log()).isTrue();
        assertThat(daemon.process.exitValue()).as("%s %s", daemon.log(), daemon.stderr()).isZero();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(10_000);
        assertThat(daemon.log().get(daemon.log().size() - 1)).as("%s %s", daemon.log(), daemon.stderr()).endsWith(" stopping");
        assertThat(alice.resolve(DaemonFile.NAME)).as("removed on a clean exit").doesNotExist();
        assertThat(ok(alice, "status").out()).startsWith("daemon not running; last status at ");
        LIVE.remove(daemon.process);
    }

    /**
     * For a failure report: the seq of the Alice-Bob record each testnet node holds (asked directly, one
     * KRPC get each), then what one-shot syncs by Alice and by Bob see.
     */
    static String recordDiagnostics(Path alice, Path bob) {
        StringBuilder b = new StringBuilder("record held by each testnet node:");
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(2_000);
            Map<String, Object> show = CliTestSupport.run(on(alice, entry, "--json", "contacts", "show", "bob")).json();
            NodeId target = NodeId.parse((String) show.get("record_target"));
            for (DhtNode node : net.nodes()) {
                byte[] q = KrpcCodec.encode(new KrpcQuery(new byte[] {'d', 'k'}, NodeId.random(),
                        new Query.Get(target, null, Want.UNSPECIFIED), true, null));
                socket.send(new DatagramPacket(q, q.length, node.localAddress()));
                byte[] buf = new byte[2048];
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                String held;
                try {
                    socket.receive(p);
                    held = KrpcCodec.decode(buf, 0, p.getLength()) instanceof KrpcResponse r
                            ? (r.value() == null ? "-" : "seq " + r.seq()) : "error";
                } catch (SocketTimeoutException e) {
                    held = "no answer";
                }
                b.append("\n  ").append(node.id().toHex(), 0, 8).append(" ").append(held);
            }
        } catch (Exception e) {
            b.append(" (failed: ").append(e).append(")");
        }
        b.append("\nalice sync: ").append(CliTestSupport.run(on(alice, entry, "--json", "sync", "bob")));
        b.append("\nbob sync: ").append(CliTestSupport.run(on(bob, entry, "--json", "sync", "alice")));
        return b.toString();
    }

    /**
     * A {@code scout daemon} child JVM. Its stdout goes to a file, not a pipe: {@link Process#destroy()}
     * closes the parent's ends of the pipes at once, so what the daemon prints while stopping would be lost.
     */
    static final class Daemon {
        /** How often {@link #awaitLine} looks at the output file again. */
        static final long POLL_MILLIS = 50;

        final Process process;
        final Path stdoutFile;
        final Path stderrFile;
        /** Index of the first line not yet looked at by {@link #awaitLine}. */
        private int cursor;

        private Daemon(Process process, Path stdoutFile, Path stderrFile) {
            this.process = process;
            this.stdoutFile = stdoutFile;
            this.stderrFile = stderrFile;
        }

        static Daemon start(Path tmp, Path stateDir, String name) throws IOException {
            Path out = tmp.resolve("daemon-" + name + ".out");
            Path err = tmp.resolve("daemon-" + name + ".err");
            ProcessBuilder pb = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"),
                    ScoutCommand.class.getName(),
                    "--state-dir", stateDir.toString(), "--bootstrap", entry,
                    "daemon", "--poll-interval", "1", "--republish-interval", "30")
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            pb.environment().remove("SCOUT_DEBUG");
            Process p = pb.start();
            LIVE.add(p);
            return new Daemon(p, out, err);
        }

        /**
         * The first complete line after the previous match that satisfies {@code p}, waiting for it up
         * to {@code millis}; fails on timeout or when the daemon has exited without printing it.
         */
        synchronized String awaitLine(Predicate<String> p, long millis) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (true) {
                boolean exited = !process.isAlive(); // before reading: then the file is complete
                List<String> lines = log();
                while (cursor < lines.size()) {
                    String line = lines.get(cursor++);
                    if (p.test(line)) {
                        return line;
                    }
                }
                if (exited) {
                    fail("daemon exited (%d) without the expected line; log %s; stderr %s", process.exitValue(),
                            lines, stderr());
                }
                if (System.nanoTime() - deadline >= 0) {
                    fail("no expected daemon line within %d ms; log %s; stderr %s", millis, lines, stderr());
                }
                Thread.sleep(POLL_MILLIS);
            }
        }

        /**
         * Waits until the daemon has printed more than {@code lines} lines or has exited, at most
         * {@code millis}; returns how many lines it has printed.
         */
        int awaitOutputOrExit(int lines, long millis) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (process.isAlive() && log().size() <= lines && System.nanoTime() - deadline < 0) {
                Thread.sleep(POLL_MILLIS);
            }
            return log().size();
        }

        /** The complete lines printed so far. */
        List<String> log() {
            String text = read(stdoutFile);
            int end = text.lastIndexOf('\n');
            return end < 0 ? List.of() : text.substring(0, end + 1).lines().toList();
        }

        String stderr() {
            return read(stderrFile);
        }

        private static String read(Path file) {
            try {
                return Files.exists(file) ? Files.readString(file) : "";
            } catch (IOException e) {
                return "(unreadable: " + e.getMessage() + ")";
            }
        }
    }
}
