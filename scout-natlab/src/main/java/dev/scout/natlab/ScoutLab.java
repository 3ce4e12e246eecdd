package dev.scout.natlab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Real scout processes in a {@link NatLab}: a public DHT of our own ({@code scout testnet} in the
 * public namespace) and devices, each a state directory used only inside its namespace by the real
 * commands ({@code scout init}, {@code scout contacts add}, {@code scout daemon}, {@code scout pipe}).
 * The daemons' local API listens on their namespace's loopback, so it is called from inside the
 * namespace (natlab_http.py).
 */
public final class ScoutLab {
    /**
     * The command line's main class: what {@code ./scout} runs from scout.jar, so a command takes the
     * quick path when the user's would (e.g. {@code scout pipe} through the daemon, without picocli).
     */
    public static final String MAIN = "dev.scout.cli.quick.QuickMain";
    /** The public DHT's first port. */
    public static final int DHT_PORT = 7000;
    /**
     * Small heaps, the serial collector, C1 only, no hsperfdata file (as {@code ./scout} starts a short
     * command): many JVMs start and share two cores in the lab test.
     */
    public static final List<String> FAST_START = List.of("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-XX:-UsePerfData", "-Dorg.slf4j.simpleLogger.defaultLogLevel=info");

    private final NatLab lab;
    private final String classPath;
    private final Path work;
    private final Path http = NatLab.resource("natlab_http.py");
    private final List<String> jvm;
    private String bootstrap;

    /**
     * @param classPath a class path with scout-cli and everything it needs (scout.jar, or a test class path)
     * @param work      where the devices' state directories go
     */
    public ScoutLab(NatLab lab, String classPath, Path work) {
        this(lab, classPath, work, FAST_START);
    }

    /** @param jvmOptions the options of every JVM it starts (e.g. the JVM's defaults for a benchmark) */
    public ScoutLab(NatLab lab, String classPath, Path work, List<String> jvmOptions) {
        this.lab = lab;
        this.classPath = classPath;
        this.work = work;
        this.jvm = List.copyOf(jvmOptions);
    }

    public NatLab lab() {
        return lab;
    }

    /**
     * Starts {@code scout testnet --nodes N} on {@code host} in namespace {@code ns} and waits until it
     * is ready; its entry becomes every device's bootstrap address.
     */
    public String startDht(String ns, String host, int nodes) {
        Proc dht = lab.start("dht", new ProcessBuilder(lab.java(ns, jvm, classPath, MAIN, List.of("testnet", "--nodes",
                Integer.toString(nodes), "--host", host, "--base-port", Integer.toString(DHT_PORT))))
                .redirectError(ProcessBuilder.Redirect.DISCARD));
        bootstrap = dht.await("ready ", 90).substring("ready ".length()).trim();
        return bootstrap;
    }

    /**
     * Starts the lab's {@link PublicDht} on {@code nodes} new public addresses (port {@link #DHT_PORT})
     * and waits until it is ready; its first node becomes every device's bootstrap address. Needs
     * scout-natlab and scout-dht on the class path.
     */
    public String startPublicDht(int nodes) {
        List<String> args = new ArrayList<>(List.of(Integer.toString(DHT_PORT)));
        args.addAll(lab.addPublicAddresses(nodes));
        Proc dht = lab.start("dht", new ProcessBuilder(lab.java("pub", jvm, classPath, PublicDht.class.getName(), args))
                .redirectError(ProcessBuilder.Redirect.DISCARD));
        bootstrap = dht.await("ready ", 90).substring("ready ".length()).trim();
        return bootstrap;
    }

    /** A device {@code name} in lab namespace {@code ns} whose daemon binds UDP {@code port}. */
    public Device device(String name, String ns, int port) {
        return new Device(name, ns, port);
    }

    /** The outcome of a finished command. */
    public record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- out ---\n" + out + "--- err ---\n" + err;
        }
    }

    /** An HTTP answer from a daemon's API. */
    public record Http(int status, String body) {
    }

    /** One person's device: a state directory, a namespace, a daemon port. */
    public final class Device {
        private final String name;
        private final String ns;
        private final int port;
        private final Path dir;
        private String key;
        private Proc daemon;

        private Device(String name, String ns, int port) {
            this.name = name;
            this.ns = ns;
            this.port = port;
            this.dir = work.resolve(name);
        }

        public String name() {
            return name;
        }

        public String ns() {
            return ns;
        }

        public Path dir() {
            return dir;
        }

        /** The public key {@code scout init} printed. */
        public String key() {
            return key;
        }

        public Proc daemon() {
            return daemon;
        }

        /** {@code scout ARGS} in this device's namespace with its state directory, to its end (≤ 120 s). */
        public Result scout(String... args) {
            Path out = null;
            Path err = null;
            try {
                out = Files.createTempFile("natlab-out-", ".txt");
                err = Files.createTempFile("natlab-err-", ".txt");
                Proc p = lab.start(name + "-" + args[0], new ProcessBuilder(command(args)).redirectOutput(out.toFile())
                        .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))));
                int exit = p.awaitExit(120);
                return new Result(exit, Files.readString(out), Files.readString(err));
            } catch (IOException e) {
                throw new AssertionError(e);
            } finally {
                deleteQuietly(out);
                deleteQuietly(err);
            }
        }

        /** As {@link #scout}, failing unless it exits 0. */
        public Result ok(String... args) {
            Result r = scout(args);
            if (r.exit() != 0) {
                throw new AssertionError(name + ": scout " + String.join(" ", args) + " failed: " + r);
            }
            return r;
        }

        private List<String> command(String... args) {
            List<String> all = new ArrayList<>(List.of("--state-dir", dir.toString()));
            if (bootstrap != null) {
                all.addAll(List.of("--bootstrap", bootstrap));
            }
            all.addAll(List.of(args));
            return lab.java(ns, jvm, classPath, MAIN, all);
        }

        /** {@code scout init}: a new identity; returns its key. */
        public String init() {
            key = ok("init").out().strip();
            return key;
        }

        /** {@code scout contacts add NAME KEY} for {@code other}. */
        public void addContact(Device other) {
            addContact(other.name, other.key);
        }

        public void addContact(String contactName, String contactKey) {
            ok("contacts", "add", contactName, contactKey);
        }

        /**
         * Starts {@code scout daemon --port P --poll-interval 1 [extra]} and waits until its API answers.
         */
        public Proc startDaemon(String... extra) {
            List<String> args = new ArrayList<>(List.of("daemon", "--port", Integer.toString(port), "--poll-interval", "1"));
            args.addAll(List.of(extra));
            daemon = lab.start(name + "-daemon", new ProcessBuilder(command(args.toArray(String[]::new))).redirectErrorStream(true));
            daemon.await("scout daemon: ", 90);
            awaitApi(h -> h.status() == 200, "/v1/health", 30);
            return daemon;
        }

        /** {@code scout stop}, then waits for the daemon to exit 0. */
        public void stopDaemon() {
            ok("stop");
            int exit = daemon.awaitExit(60);
            if (exit != 0) {
                throw new AssertionError(name + "'s daemon exited " + exit + ": " + daemon.transcript());
            }
        }

        /** One call to the daemon's API, made inside the namespace. */
        public Http api(String method, String path, String jsonBody) {
            List<String> cmd = new ArrayList<>(List.of("python3", http.toString(), dir.toString(), method, path));
            if (jsonBody != null) {
                cmd.add(jsonBody);
            }
            try {
                Process p = new ProcessBuilder(lab.in(ns, cmd)).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(90, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError(name + ": " + method + " " + path + " did not answer");
                }
                String[] lines = out.split("\n", 2);
                if (p.exitValue() != 0 || lines.length < 2) {
                    throw new AssertionError(name + ": " + method + " " + path + " failed: " + out);
                }
                return new Http(Integer.parseInt(lines[0].trim()), lines[1].trim());
            } catch (IOException e) {
                throw new AssertionError(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }

        /** Calls GET {@code path} until {@code until} holds (every 300 ms, at most {@code seconds}); the last answer. */
        public Http awaitApi(Predicate<Http> until, String path, long seconds) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            Http last = null;
            while (true) {
                try {
                    last = api("GET", path, null);
                } catch (AssertionError e) {
                    last = new Http(0, e.getMessage()); // not up yet
                }
                if (until.test(last)) {
                    return last;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(name + ": GET " + path + " did not reach the expected state within " + seconds
                            + " s; last answer " + last + (daemon == null ? "" : "; daemon log: " + daemon.transcript()));
                }
                try {
                    Thread.sleep(300); // polling interval of a condition wait, not a wait for time to pass
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }

        /**
         * Starts {@code scout pipe CONTACT < in > out}; its stderr lines are the {@link Proc}'s lines.
         */
        public Proc pipe(String contact, Path in, Path out) {
            return lab.start(name + "-pipe", new ProcessBuilder(command("pipe", contact)).redirectInput(in.toFile())
                    .redirectOutput(out.toFile()));
        }

        /**
         * Starts {@code scout pipe CONTACT > out} reading what the caller writes to the {@link Proc}'s
         * {@code process().getOutputStream()}: a stream that lasts as long as the test wants.
         */
        public Proc pipe(String contact, Path out) {
            return lab.start(name + "-pipe", new ProcessBuilder(command("pipe", contact)).redirectOutput(out.toFile()));
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // a temporary file
            }
        }
    }
}
