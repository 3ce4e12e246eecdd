package dev.scout.session.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A NAT laboratory from Linux network namespaces (needs root, iproute2 and iptables):
 *
 * <pre>
 *   PREFIX-inet   the "Internet": a hub with 80 ms one-way latency (natlab_internet.py), 100.64.0.0/24
 *   PREFIX-pub    a public host, 100.64.0.10
 *   PREFIX-rK     a home router: WAN 100.64.0.(10+K), LAN 10.251.K.1/24, iptables MASQUERADE
 *                 (port-restricted cone; with --random-fully a symmetric NAT)
 *   PREFIX-hK     a home device 10.251.K.2 behind rK
 * </pre>
 * Every address exists only inside these namespaces; names start with {@code scoutlab-} and a
 * random suffix. {@link #close} (also run at JVM exit) kills the processes and deletes the namespaces,
 * which removes their interfaces, bridge and rules with them.
 */
final class NatLab implements AutoCloseable {
    static final String INTERNET = "100.64.0";
    /** One-way latency of the Internet: hole punching needs both sides to send within it. */
    static final String LATENCY_SECONDS = "0.08";

    final String prefix = "scoutlab-" + HexFormat.of().formatHex(SecureRandom.getSeed(3));
    private final List<String> namespaces = Collections.synchronizedList(new ArrayList<>());
    private final List<Peer> peers = Collections.synchronizedList(new ArrayList<>());
    private final List<String> ports = new ArrayList<>();
    private final Thread cleanup = new Thread(this::cleanUp, "natlab-cleanup");
    private boolean closed;

    NatLab() {
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /** Fails with the reason if this machine cannot build the lab; never skips. */
    static void requireCapabilities() {
        String uid = capture("id", "-u").trim();
        if (!uid.equals("0")) {
            throw new AssertionError("the NAT lab needs root (network namespaces, iptables); running as uid " + uid
                    + " — run ./run-tests as root, as CI does");
        }
        for (String tool : List.of("ip", "iptables", "python3")) {
            if (!onPath(tool)) {
                throw new AssertionError("the NAT lab needs '" + tool + "' (./run-tests installs iptables with apt-get)");
            }
        }
    }

    String ns(String name) {
        return prefix + "-" + name;
    }

    /** Builds the Internet, the public host and {@code routers} homes; {@code symmetric[k]} picks the NAT kind. */
    void build(boolean... symmetric) {
        addNamespace("inet");
        addNamespace("pub");
        plug("pub", "eth0", "v-pub");
        run("ip", "-n", ns("pub"), "addr", "add", INTERNET + ".10/24", "dev", "eth0");
        run("ip", "-n", ns("pub"), "link", "set", "eth0", "up");
        for (int k = 1; k <= symmetric.length; k++) {
            String r = "r" + k;
            String h = "h" + k;
            addNamespace(r);
            addNamespace(h);
            plug(r, "wan", "v-" + r);
            run("ip", "-n", ns(r), "addr", "add", INTERNET + "." + (10 + k) + "/24", "dev", "wan");
            run("ip", "-n", ns(r), "link", "set", "wan", "up");
            run("ip", "-n", ns(r), "link", "add", "lan", "type", "veth", "peer", "name", "eth0", "netns", ns(h));
            run("ip", "-n", ns(r), "addr", "add", "10.251." + k + ".1/24", "dev", "lan");
            run("ip", "-n", ns(r), "link", "set", "lan", "up");
            run("ip", "-n", ns(h), "addr", "add", "10.251." + k + ".2/24", "dev", "eth0");
            run("ip", "-n", ns(h), "link", "set", "eth0", "up");
            run("ip", "-n", ns(h), "route", "add", "default", "via", "10.251." + k + ".1");
            run("ip", "netns", "exec", ns(r), "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
            List<String> masq = new ArrayList<>(List.of("ip", "netns", "exec", ns(r), "iptables", "-t", "nat", "-A",
                    "POSTROUTING", "-o", "wan", "-j", "MASQUERADE"));
            if (symmetric[k - 1]) {
                masq.add("--random-fully");
            }
            run(masq.toArray(String[]::new));
        }
        startInternet();
    }

    /** The hub that links the ports with {@link #LATENCY_SECONDS} of one-way latency (see natlab_internet.py). */
    private void startInternet() {
        try {
            Path script = Files.createTempFile("natlab_internet", ".py");
            try (var in = NatLab.class.getResourceAsStream("/natlab_internet.py")) {
                Files.write(script, in.readAllBytes());
            }
            script.toFile().deleteOnExit();
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns("inet"), "python3", script.toString(),
                    LATENCY_SECONDS));
            cmd.addAll(ports);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            Peer hub = new Peer("internet", p);
            peers.add(hub);
            hub.await("ready", 30);
        } catch (IOException e) {
            throw new AssertionError("NAT lab: cannot start the Internet hub: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private void addNamespace(String name) {
        run("ip", "netns", "add", ns(name));
        namespaces.add(ns(name));
        run("ip", "-n", ns(name), "link", "set", "lo", "up");
    }

    /** A veth from {@code name}'s {@code dev} to a port of the Internet hub. */
    private void plug(String name, String dev, String hubPort) {
        run("ip", "-n", ns(name), "link", "add", dev, "type", "veth", "peer", "name", hubPort, "netns", ns("inet"));
        run("ip", "-n", ns("inet"), "link", "set", hubPort, "up");
        ports.add(hubPort);
    }

    /** Starts a {@link LabPeer} in namespace {@code name}. */
    Peer start(String name, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns(name),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", classPath(), LabPeer.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Peer peer = new Peer(name, p);
        peers.add(peer);
        return peer;
    }

    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    @Override
    public void close() {
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // already shutting down
        }
    }

    private synchronized void cleanUp() {
        if (closed) {
            return;
        }
        closed = true;
        for (Peer p : peers) {
            p.process.destroyForcibly();
        }
        for (Peer p : peers) {
            try {
                p.process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (String n : namespaces) {
            try {
                new ProcessBuilder("ip", "netns", "del", n).redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                System.err.println("NAT lab: could not delete namespace " + n + ": " + e);
            }
        }
    }

    /** Namespaces of this lab still present (for the test's final check). */
    List<String> leftovers() {
        String list = capture("ip", "netns", "list");
        List<String> left = new ArrayList<>();
        for (String line : list.split("\n")) {
            if (line.startsWith(prefix)) {
                left.add(line.split(" ")[0]);
            }
        }
        return left;
    }

    static void run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("NAT lab setup failed: " + String.join(" ", cmd) + " → " + out.trim());
            }
        } catch (IOException e) {
            throw new AssertionError("NAT lab setup failed: " + String.join(" ", cmd) + " → " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String capture(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    /** A running {@link LabPeer}: its output lines and its stdin. */
    static final class Peer {
        final String name;
        final Process process;
        private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<String> transcript = Collections.synchronizedList(new ArrayList<>());
        private final Writer stdin;

        Peer(String name, Process process) {
            this.name = name;
            this.process = process;
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        transcript.add(line);
                        lines.add(line);
                    }
                } catch (IOException e) {
                    transcript.add("(output closed: " + e.getMessage() + ")");
                }
            }, "natlab-" + name);
            reader.setDaemon(true);
            reader.start();
        }

        synchronized void send(String command) throws IOException {
            stdin.write(command + "\n");
            stdin.flush();
        }

        /** The first line starting with {@code prefix} within {@code seconds}; fails with the transcript otherwise. */
        String await(String prefix, long seconds) throws InterruptedException {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            List<String> skipped = new ArrayList<>();
            try {
                while (true) {
                    long left = until - System.nanoTime();
                    String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
                    if (line == null) {
                        throw new AssertionError(name + ": no line starting with '" + prefix + "' within " + seconds
                                + " s; output so far: " + transcript);
                    }
                    if (line.startsWith(prefix)) {
                        return line;
                    }
                    skipped.add(line);
                }
            } finally {
                // lines for other commands stay available to their own awaits
                for (int i = skipped.size() - 1; i >= 0; i--) {
                    lines.add(skipped.get(i));
                }
            }
        }

        List<String> transcript() {
            return List.copyOf(transcript);
        }
    }
}
