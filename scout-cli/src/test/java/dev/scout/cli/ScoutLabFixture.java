package dev.scout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scout.cli.api.Jackson;
import dev.scout.natlab.NatLab;
import dev.scout.natlab.Proc;
import dev.scout.natlab.ScoutLab;
import dev.scout.natlab.ScoutLab.Device;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the NAT-lab test classes share: a {@link NatLab} (needs root, {@code ip}, {@code iptables} and
 * {@code python3}: fails with the reason, never skips) with the public DHT of our own, a work
 * directory for the devices' state, and its removal, checked; plus their helpers: a step on several
 * devices at once, the daemons' JSON, and {@code scout pipe}s between two devices, timed and checked by
 * SHA-256.
 *
 * <p>A test class registers it ({@code @RegisterExtension static final ScoutLabFixture LAB =
 * ScoutLabFixture.of(...)}): the lab is built before the class's {@code @BeforeAll} methods run and
 * removed after its {@code @AfterAll} methods.
 */
final class ScoutLabFixture implements BeforeAllCallback, AfterAllCallback {
    /** The public DHT's size in every lab. */
    static final int PUBLIC_DHT_NODES = 8;

    private final String name;
    private final Consumer<NatLab> afterBuild;
    private final boolean[] symmetric;
    private NatLab lab;
    private Path work;
    private ScoutLab scout;

    private ScoutLabFixture(String name, Consumer<NatLab> afterBuild, boolean... symmetric) {
        this.name = name;
        this.afterBuild = afterBuild;
        this.symmetric = symmetric.clone();
    }

    /**
     * A lab of homes behind NATs ({@code symmetric[k]}: home k+1's NAT is symmetric, else a
     * port-restricted cone) with the public DHT, built once registered.
     *
     * @param name       names the work directory
     * @param afterBuild what to add to the lab once built, before the DHT starts (e.g. a router's port mapping)
     */
    static ScoutLabFixture of(String name, Consumer<NatLab> afterBuild, boolean... symmetric) {
        return new ScoutLabFixture(name, afterBuild, symmetric);
    }

    /** As {@link #of(String, Consumer, boolean...)} with nothing added. */
    static ScoutLabFixture of(String name, boolean... symmetric) {
        return of(name, lab -> { }, symmetric);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        NatLab.requireCapabilities();
        lab = new NatLab();
        lab.build(symmetric);
        afterBuild.accept(lab);
        work = Files.createTempDirectory("scout-natlab-" + name + "-");
        scout = new ScoutLab(lab, System.getProperty("java.class.path"), work);
        scout.startPublicDht(PUBLIC_DHT_NODES);
    }

    /** Removes the lab (checked: no namespace left) and the work directory, whatever got built. */
    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        remove(lab, work);
    }

    NatLab lab() {
        return lab;
    }

    Path work() {
        return work;
    }

    ScoutLab scout() {
        return scout;
    }

    /** A device {@code name} in namespace {@code ns} whose daemon binds UDP {@code port}. */
    Device device(String name, String ns, int port) {
        return scout.device(name, ns, port);
    }

    /** Closes {@code lab} (if built), checks no namespace is left, deletes {@code work} (if made). */
    static void remove(NatLab lab, Path work) throws Exception {
        if (lab != null) {
            lab.close();
            assertThat(lab.leftovers()).as("namespaces left behind").isEmpty();
        }
        if (work != null) {
            try (var files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** A daemon's answer as JSON: an empty object unless it is a 200 with JSON. */
    static JsonNode json(ScoutLab.Http h) {
        try {
            return h.status() == 200 ? Jackson.parse(h.body()) : Jackson.object();
        } catch (Exception e) {
            return Jackson.object();
        }
    }

    /** One step on a device. */
    interface Step {
        void run(Device d) throws Exception;
    }

    /** One step on every device at once (each in its own thread); the first failure is rethrown. */
    static void parallel(List<Device> devices, Step step) throws Exception {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (Device d : devices) {
            all.add(CompletableFuture.runAsync(() -> {
                try {
                    step.run(d);
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }, r -> new Thread(r, "natlab-" + d.name()).start()));
        }
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            Throwable c = e.getCause() instanceof CompletionException ce ? ce.getCause() : e.getCause();
            if (c instanceof Error err) {
                throw err;
            }
            throw (Exception) c;
        }
    }

    /**
     * Waits until each device's daemon finished two message polls after now ({@code last_poll} in its
     * status changed twice): what its contacts published before now is stored.
     */
    static void awaitTwoPolls(List<Device> devices) throws Exception {
        parallel(devices, d -> {
            for (int i = 0; i < 2; i++) {
                String before = json(d.api("GET", "/v1/status", null)).path("last_poll").asText();
                d.awaitApi(h -> !before.equals(json(h).path("last_poll").asText()), "/v1/status", 30);
            }
        });
    }

    /** {@code bytes} seeded random bytes in a file of the work directory. */
    Path randomFile(String name, int bytes, long seed) throws Exception {
        byte[] b = new byte[bytes];
        new Random(seed).nextBytes(b);
        Path p = work.resolve(name + ".bin");
        Files.write(p, b);
        return p;
    }

    static String sha256(Path p) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) >= 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * Starts {@code scout pipe TO < file} at {@code from} and {@code scout pipe FROM > copy} at {@code to}
     * together, {@code file} being {@code bytes} seeded random bytes.
     */
    Transfer startPipes(Device from, Device to, int bytes, long seed) throws Exception {
        String run = from.name() + "-" + to.name() + "-" + seed;
        Path file = randomFile(run, bytes, seed);
        Path copy = work.resolve(run + "-copy");
        Files.deleteIfExists(copy);
        long t0 = System.nanoTime();
        Proc send = from.pipe(to.name(), file, work.resolve(run + "-back"));
        Proc receive = to.pipe(from.name(), Path.of("/dev/null"), copy);
        return new Transfer(from, to, file, copy, send, receive, t0);
    }

    /** {@link #startPipes} to the end: both pipes exit 0 within 90 s and the copy is intact; both stderr transcripts. */
    List<String> pipe(Device from, Device to, int bytes, long seed) throws Exception {
        return startPipes(from, to, bytes, seed).finish();
    }

    /** Two running {@code scout pipe}s, {@code from}'s sending {@code file}, {@code to}'s writing {@code copy}. */
    static final class Transfer {
        private static final Pattern CONNECT_MS = Pattern.compile("\\((\\d+) ms to connect");
        private final Device from;
        private final Device to;
        private final Path file;
        private final Path copy;
        private final Proc send;
        private final Proc receive;
        private final long t0;
        /** When each pipe (send, receive) printed its session line, ms after both were started; -1 before. */
        private final long[] sessionLine = {-1, -1};

        private Transfer(Device from, Device to, Path file, Path copy, Proc send, Proc receive, long t0) {
            this.from = from;
            this.to = to;
            this.file = file;
            this.copy = copy;
            this.send = send;
            this.receive = receive;
            this.t0 = t0;
        }

        Proc send() {
            return send;
        }

        Proc receive() {
            return receive;
        }

        /**
         * Waits (at most {@code seconds}) for the first byte in the copy; the milliseconds from the start of
         * both pipe processes. Notes each pipe's session line on the way.
         */
        long awaitFirstByte(long seconds) throws Exception {
            long deadline = t0 + seconds * 1_000_000_000L;
            while (!Files.exists(copy) || Files.size(copy) == 0) {
                assertThat(System.nanoTime()).as("no byte arrived within %d s: %s / %s", seconds, send.transcript(),
                        receive.transcript()).isLessThan(deadline);
                noteSessionLines();
                Thread.sleep(2); // polling the copy's size: this measures, it waits for nothing
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            noteSessionLines();
            return ms;
        }

        private void noteSessionLines() {
            Proc[] pipes = {send, receive};
            for (int i = 0; i < 2; i++) {
                if (sessionLine[i] < 0 && pipes[i].transcript().stream().anyMatch(l -> l.contains("scout pipe: session with"))) {
                    sessionLine[i] = (System.nanoTime() - t0) / 1_000_000;
                }
            }
        }

        /**
         * When each pipe's {@code POST /v1/sessions} started, ms after both were started (its session
         * line's time less the connect time it reports; -1 where no line was seen): the pipes' own
         * start-up (JVM, command) comes before that.
         */
        long[] askedAt() {
            Proc[] pipes = {send, receive};
            long[] at = new long[2];
            for (int i = 0; i < 2; i++) {
                at[i] = sessionLine[i] < 0 ? -1 : sessionLine[i] - connectMillis(pipes[i]);
            }
            return at;
        }

        /** The connect time a pipe reported in its session line (0 for an incoming session). */
        static long connectMillis(Proc p) {
            for (String l : p.transcript()) {
                Matcher m = CONNECT_MS.matcher(l);
                if (m.find()) {
                    return Long.parseLong(m.group(1));
                }
            }
            return 0;
        }

        /** Both pipes exit 0 within 90 s and the copy is the file; both stderr transcripts (failures carry the daemons' logs). */
        List<String> finish() throws Exception {
            try {
                assertThat(send.awaitExit(90)).as("%s's pipe: %s", from.name(), send.transcript()).isZero();
                assertThat(receive.awaitExit(90)).as("%s's pipe: %s", to.name(), receive.transcript()).isZero();
            } catch (AssertionError e) {
                // A pipe that never ends is a rendezvous race: keep what both daemons logged about it.
                throw new AssertionError(e.getMessage() + "\nother pipe: " + receive.transcript()
                        + daemonLog(from, 120) + daemonLog(to, 120), e);
            }
            assertThat(sha256(copy)).as("every byte, intact").isEqualTo(sha256(file));
            List<String> lines = new ArrayList<>(send.transcript());
            lines.addAll(receive.transcript());
            return lines;
        }
    }

    /** The last {@code max} lines {@code d}'s daemon logged, the per-poll status lines left out, for a failure message. */
    static String daemonLog(Device d, int max) {
        List<String> lines = d.daemon().transcript().stream().filter(l -> !l.contains(" status: routing table ")
                && !l.contains("malformed connect intent")).toList();
        return "\n--- " + d.name() + "'s daemon (last " + max + " lines but status) ---\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - max), lines.size()));
    }
}
