package dev.scout.natlab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A NAT laboratory from Linux network namespaces (needs root, iproute2, iptables and python3):
 *
 * <pre>
 *   PREFIX-inet   the "Internet": a hub with 80 ms one-way latency (natlab_internet.py), 100.64.0.0/24
 *   PREFIX-pub    a public host, 100.64.0.10
 *   PREFIX-rK     a home router: WAN 100.64.0.(10+K), LAN 10.251.K.1/24, iptables MASQUERADE
 *                 (port-restricted cone; with --random-fully a symmetric NAT)
 *   PREFIX-hK     a home device 10.251.K.2 behind rK
 *   PREFIX-NAME   any other namespace asked for with {@link #isolated} (its own loopback only)
 * </pre>
 * Every address exists only inside these namespaces; names start with {@code scoutlab-} and a random
 * suffix. Programs run in a namespace with {@link #start} ({@code ip netns exec}); {@link #close} (also
 * run at JVM exit) kills them and deletes the namespaces, which removes their interfaces, bridge and
 * rules with them.
 *
 * <p>Linux conntrack gives a NAT a random port when a peer's packet arrives before the device's own
 * first packet to that peer (docs/sessions.md): the hub's latency is what lets two sides that start
 * sending "at the same time" both be first, as on the real Internet.
 */
public final class NatLab implements AutoCloseable {
    /** The lab Internet's /24 (shared address space, RFC 6598: never routed on the real Internet). */
    public static final String INTERNET = "100.64.0";
    /** The public host's address. */
    public static final String PUBLIC_HOST = INTERNET + ".10";
    /** One-way latency of the Internet: hole punching needs both sides to send within it. */
    static final String LATENCY_SECONDS = "0.08";

    private final String prefix = "scoutlab-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
    private final List<String> namespaces = Collections.synchronizedList(new ArrayList<>());
    private final List<Proc> procs = Collections.synchronizedList(new ArrayList<>());
    private final List<String> ports = new ArrayList<>();
    private final Thread cleanup = new Thread(this::cleanUp, "natlab-cleanup");
    private boolean closed;
    private int homes;

    public NatLab() {
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /** Fails with the reason if this machine cannot build the lab; never skips. */
    public static void requireCapabilities() {
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

    /** The full name of lab namespace {@code name} ("pub", "h1", ...). */
    public String ns(String name) {
        return prefix + "-" + name;
    }

    /** Builds the Internet, the public host and {@code symmetric.length} homes; {@code symmetric[k]} picks the NAT kind. */
    public void build(boolean... symmetric) {
        addNamespace("inet");
        addNamespace("pub");
        plug("pub", "eth0", "v-pub");
        run("ip", "-n", ns("pub"), "addr", "add", PUBLIC_HOST + "/24", "dev", "eth0");
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
        homes = symmetric.length;
        startInternet();
    }

    /**
     * Gives home {@code k}'s router a home router's firewall on its WAN side: packets to the router
     * itself are accepted only as replies ({@code INPUT -i wan}: ESTABLISHED/RELATED, else DROP). A
     * dropped packet leaves no conntrack entry, so an unsolicited packet no longer takes the tuple of
     * the device's later mapping (docs/sessions.md, "Birthday punching"). Forwarding and NAT are
     * unchanged.
     */
    public void firewall(int k) {
        String r = ns("r" + k);
        run("ip", "netns", "exec", r, "iptables", "-A", "INPUT", "-i", "wan", "-m", "conntrack", "--ctstate",
                "ESTABLISHED,RELATED", "-j", "ACCEPT");
        run("ip", "netns", "exec", r, "iptables", "-A", "INPUT", "-i", "wan", "-j", "DROP");
    }

    /**
     * Packets home {@code k}'s router forwarded from its LAN to the Internet address {@code to} so far
     * (an iptables counter rule added on first use; 0 before it).
     */
    public long forwardedOut(int k, String to) {
        String r = ns("r" + k);
        String tag = "natlab-count-" + to;
        String rules = capture("ip", "netns", "exec", r, "iptables", "-L", "FORWARD", "-v", "-x", "-n");
        if (!rules.contains(tag)) {
            run("ip", "netns", "exec", r, "iptables", "-A", "FORWARD", "-i", "lan", "-o", "wan", "-d", to, "-m", "comment",
                    "--comment", tag);
            return 0;
        }
        for (String line : rules.split("\n")) {
            if (line.contains("/* " + tag + " */")) {
                return Long.parseLong(line.trim().split("\\s+")[0]);
            }
        }
        throw new AssertionError("no counter rule " + tag + " in " + rules);
    }

    /**
     * Makes home {@code k}'s router (built by {@link #build}) also a port-mapping router: miniupnpd with
     * UPnP IGD, NAT-PMP and PCP, its WAN moved to {@link PortMappingRouter#WAN_NET}{@code .(10+k)}
     * (see {@link PortMappingRouter}). Call it before starting anything in the lab.
     */
    public PortMappingRouter portMapping(int k) {
        PortMappingRouter.requireCapabilities();
        List<String> namespaces = new ArrayList<>(List.of("pub"));
        List<String> devices = new ArrayList<>(List.of("eth0"));
        for (int j = 1; j <= homes; j++) {
            namespaces.add("r" + j);
            devices.add("wan");
        }
        if (k < 1 || k > homes) {
            throw new IllegalArgumentException("no home " + k + " in this lab (" + homes + " homes)");
        }
        PortMappingRouter router = new PortMappingRouter(this, k);
        router.start(namespaces, devices);
        return router;
    }

    /**
     * Adds {@code n} more addresses to the public host, 100.64.0.100 and up (for {@link PublicDht}: one
     * DHT node per address), and returns them.
     */
    public List<String> addPublicAddresses(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String a = INTERNET + "." + (100 + i);
            run("ip", "-n", ns("pub"), "addr", "add", a + "/24", "dev", "eth0");
            out.add(a);
        }
        return out;
    }

    /**
     * Gives home {@code k}'s router another WAN address, as an ISP does on a new lease: the old address
     * goes (and with it, the kernel's NAT mappings through it), {@code address} comes. The home's device
     * keeps its own address and notices nothing locally.
     *
     * @param k       the home (1 = r1)
     * @param address the new WAN address, inside {@link #INTERNET}.0/24 and not in use
     */
    public void changeWanAddress(int k, String address) {
        String r = ns("r" + k);
        String old = capture("ip", "-n", r, "-4", "-o", "addr", "show", "dev", "wan").trim();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("inet (\\S+)").matcher(old);
        if (!m.find()) {
            throw new AssertionError("NAT lab: r" + k + " has no WAN address: " + old);
        }
        // Old one first: deleting a primary address takes its secondaries along. MASQUERADE then maps through
        // the new address, and the kernel drops the mappings made through the old one.
        run("ip", "-n", r, "addr", "del", m.group(1), "dev", "wan");
        run("ip", "-n", r, "addr", "add", address + "/24", "dev", "wan");
    }

    /** A namespace with nothing but its own loopback (e.g. for a loopback testnet apart from the host's). */
    public void isolated(String name) {
        addNamespace(name);
    }

    /** The hub that links the ports with {@link #LATENCY_SECONDS} of one-way latency (see natlab_internet.py). */
    private void startInternet() {
        Path script = resource("natlab_internet.py");
        List<String> cmd = new ArrayList<>(List.of("python3", script.toString(), LATENCY_SECONDS));
        cmd.addAll(ports);
        Proc hub = start("internet", new ProcessBuilder(in("inet", cmd)).redirectErrorStream(true));
        hub.await("ready", 30);
    }

    /** A copy of one of this module's resources in a temporary file (deleted at exit). */
    static Path resource(String name) {
        try {
            Path file = Files.createTempFile("natlab-", "-" + name);
            try (var in = NatLab.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new AssertionError("NAT lab resource " + name + " missing from the class path");
                }
                Files.write(file, in.readAllBytes());
            }
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new AssertionError("NAT lab: cannot write " + name + ": " + e.getMessage(), e);
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

    /** {@code ip netns exec <ns(name)> command...} */
    public List<String> in(String name, List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns(name)));
        cmd.addAll(command);
        return cmd;
    }

    /**
     * {@code ip netns exec <ns(name)> java <jvmOptions> -cp classPath main args...} with this JVM's java.
     */
    public List<String> java(String name, List<String> jvmOptions, String classPath, String main, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", classPath, main));
        cmd.addAll(args);
        return in(name, cmd);
    }

    /**
     * Starts a process that the lab kills at {@link #close}. Its lines are read from stdout when that
     * is a pipe, else from stderr (e.g. {@code scout pipe} with stdout to a file).
     */
    public Proc start(String name, ProcessBuilder builder) {
        if (closed) {
            throw new IllegalStateException("the NAT lab is closed");
        }
        try {
            Process p = builder.start();
            boolean outPiped = builder.redirectOutput() == ProcessBuilder.Redirect.PIPE;
            Proc proc = new Proc(name, p, outPiped ? p.getInputStream() : p.getErrorStream());
            procs.add(proc);
            return proc;
        } catch (IOException e) {
            throw new AssertionError("NAT lab: cannot start " + builder.command() + ": " + e.getMessage(), e);
        }
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
        for (Proc p : procs) {
            p.process().descendants().forEach(ProcessHandle::destroyForcibly);
            p.process().destroyForcibly();
        }
        for (Proc p : procs) {
            try {
                p.process().waitFor(10, TimeUnit.SECONDS);
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

    /** Namespaces of this lab still present (for a final check). */
    public List<String> leftovers() {
        String list = capture("ip", "netns", "list");
        List<String> left = new ArrayList<>();
        for (String line : list.split("\n")) {
            if (line.startsWith(prefix)) {
                left.add(line.split(" ")[0]);
            }
        }
        return left;
    }

    /** Runs a set-up command; fails with its output unless it exits 0 within 30 s. */
    public static void run(String... cmd) {
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

    static String capture(String... cmd) {
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
}
