package dev.scout.bench.natlab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scout.bench.Fragment;
import dev.scout.natlab.NatLab;
import dev.scout.natlab.ScoutLab;
import dev.scout.natlab.ScoutLab.Device;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Connect time between two real {@code scout daemon}s through the daemon API, as {@code scout pipe}
 * opens a session ({@code POST /v1/sessions} reports {@code connect_ms}; the session is then closed with
 * {@code DELETE} and the next connect waits until the peer's daemon saw it end):
 * <ul>
 * <li><b>natlab</b>: Alice and Bob behind port-restricted cone NATs in the NAT lab (network namespaces,
 * real iptables MASQUERADE, 80 ms one-way latency), default daemon settings, a public DHT of 8 nodes;</li>
 * <li><b>relay</b>: Dave (h3) and Erin (h4) behind symmetric NATs, both {@code --relay-via} Carol's public daemon
 * ({@code --relay}): the first connect goes through the relay at once, the following ones over the kept-open
 * path, which runs through the relay too;</li>
 * <li><b>loopback</b>: two daemons on a loopback testnet ({@code scout testnet}) in a namespace of their
 * own.</li>
 * </ul>
 * The first connect of each pair is reported apart from the following ones: a daemon may keep state
 * between connects to one contact (e.g. a NAT permission kept open), so the two need not cost the same.
 * Needs root (fails loudly otherwise, like the lab test).
 *
 * <pre>java -cp benchmarks.jar dev.scout.bench.natlab.NatLabBench --scout-jar scout-cli/target/scout.jar --connects 50 --out parts/natlab.txt</pre>
 */
public final class NatLabBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private NatLabBench() {}

    public static void main(String[] args) throws Exception {
        int connects = 50;
        Path out = Path.of("natlab.txt");
        Path scoutJar = Path.of("scout-cli/target/scout.jar");
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--connects" -> connects = Integer.parseInt(args[i + 1]);
                case "--out" -> out = Path.of(args[i + 1]);
                case "--scout-jar" -> scoutJar = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (!Files.isRegularFile(scoutJar)) {
            throw new IllegalStateException("no " + scoutJar + ": build scout-cli first");
        }
        NatLab.requireCapabilities();
        Fragment f = new Fragment();
        f.put("natlab_connects", connects);
        Path work = Files.createTempDirectory("scout-natlab-bench-");
        NatLab lab = new NatLab();
        try {
            lab.build(false, false, true, true);
            lab.isolated("loop");
            // scout.jar for the daemons; this jar for the lab's PublicDht
            String cp = scoutJar.toAbsolutePath() + File.pathSeparator + System.getProperty("java.class.path");

            // the daemons run with the JVM's defaults, as ./scout runs them (a smaller heap: several share the machine)
            List<String> jvm = List.of("-Xmx256m");
            ScoutLab nat = new ScoutLab(lab, cp, work.resolve("nat"), jvm);
            nat.startPublicDht(8);
            Device alice = nat.device("alice", "h1", 6881);
            Device bob = nat.device("bob", "h2", 6881);
            pair(alice, bob, NatLab.INTERNET + ".11:6881", NatLab.INTERNET + ".12:6881", "cone");
            report(f, "natlab_cone", "cone NAT <-> cone NAT (80 ms one-way)", connect(alice, bob, connects));

            // symmetric <-> symmetric: no direct path; both reachable through Carol's public daemon (--relay)
            Device carol = nat.device("carol", "pub", 6881);
            carol.init();
            carol.startDaemon("--relay");
            Device dave = nat.device("dave", "h3", 6881);
            Device erin = nat.device("erin", "h4", 6881);
            relayedPair(dave, erin, NatLab.PUBLIC_HOST + ":6881");
            report(f, "natlab_relay", "symmetric NAT <-> symmetric NAT through a relay (80 ms one-way per hop)",
                    connect(dave, erin, connects));

            ScoutLab loop = new ScoutLab(lab, cp, work.resolve("loop"), jvm);
            loop.startDht("loop", "127.0.0.1", 16);
            Device a2 = loop.device("alice", "loop", 6881);
            Device b2 = loop.device("bob", "loop", 6882);
            pair(a2, b2, "127.0.0.1:6881", "127.0.0.1:6882", "none");
            report(f, "natlab_loopback", "loopback daemons", connect(a2, b2, connects));
        } finally {
            lab.close();
            List<String> left = lab.leftovers();
            if (!left.isEmpty()) {
                throw new IllegalStateException("namespaces left behind: " + left);
            }
            try (var files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        f.write(out);
    }

    /** Identities, contacts, daemons; returns once each knows its NAT and the other's address. */
    private static void pair(Device a, Device b, String aAddress, String bAddress, String nat) {
        a.init();
        b.init();
        a.addContact(b);
        b.addContact(a);
        a.startDaemon();
        b.startDaemon();
        for (Device d : List.of(a, b)) {
            d.awaitApi(h -> h.status() == 200 && field(h.body(), "nat").equals(nat), "/v1/status", 90);
        }
        a.awaitApi(h -> h.status() == 200 && h.body().contains(bAddress), "/v1/contacts/" + b.name(), 90);
        b.awaitApi(h -> h.status() == 200 && h.body().contains(aAddress), "/v1/contacts/" + a.name(), 90);
    }

    /** Like {@link #pair}, both daemons with {@code --relay-via relay}: returns once both are registered and told each other. */
    private static void relayedPair(Device a, Device b, String relay) {
        a.init();
        b.init();
        a.addContact(b);
        b.addContact(a);
        a.startDaemon("--relay-via", relay);
        b.startDaemon("--relay-via", relay);
        for (Device d : List.of(a, b)) {
            d.awaitApi(h -> {
                try {
                    JsonNode s = JSON.readTree(h.body());
                    return h.status() == 200 && s.path("nat").asText().equals("symmetric")
                            && s.path("relay").path("registered").asBoolean() && s.path("relay").path("published_to").asInt() == 1;
                } catch (IOException e) {
                    return false;
                }
            }, "/v1/status", 120);
        }
    }

    /** {@code n} connects from {@code a} to {@code b}; each connect's {@code connect_ms}. */
    private static double[] connect(Device a, Device b, int n) throws IOException {
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            ScoutLab.Http r = a.api("POST", "/v1/sessions", "{\"contact\":\"" + b.name() + "\"}");
            if (r.status() != 201) {
                throw new IllegalStateException("connect " + (i + 1) + " of " + n + " failed: " + r);
            }
            JsonNode s = JSON.readTree(r.body());
            if (s.path("incoming").asBoolean()) {
                throw new IllegalStateException("connect " + (i + 1) + " took a session the peer opened: " + r);
            }
            ms[i] = s.path("connect_ms").asDouble();
            if ((i + 1) % 10 == 0 || i == 0) {
                System.out.printf(Locale.ROOT, "[natlab]   %s -> %s: connect %d of %d: %.0f ms%n", a.name(), b.name(), i + 1, n, ms[i]);
            }
            ScoutLab.Http closed = a.api("DELETE", "/v1/sessions/" + s.path("id").asText(), null);
            if (closed.status() / 100 != 2) {
                throw new IllegalStateException("closing session " + (i + 1) + " failed: " + closed);
            }
            // the next connect starts once the peer's daemon saw this one end
            b.awaitApi(h -> h.status() == 200 && !h.body().contains("\"state\":\"open\""), "/v1/sessions", 30);
        }
        return ms;
    }

    private static void report(Fragment f, String key, String what, double[] ms) {
        double first = ms[0];
        double[] rest = Arrays.copyOfRange(ms, 1, ms.length);
        Arrays.sort(rest);
        double p50 = rest.length == 0 ? Double.NaN : rest[rest.length / 2];
        double p99 = rest.length == 0 ? Double.NaN : rest[Math.min(rest.length - 1, (int) Math.ceil(rest.length * 0.99) - 1)];
        double[] all = ms.clone();
        Arrays.sort(all);
        f.put(key + "_first_connect_ms", first);
        f.put(key + "_following_p50_ms", p50);
        f.put(key + "_following_p99_ms", p99);
        f.put(key + "_all_p50_ms", all[all.length / 2]);
        f.put(key + "_all_p99_ms", all[Math.min(all.length - 1, (int) Math.ceil(all.length * 0.99) - 1)]);
        System.out.printf(Locale.ROOT, "[natlab] %s, %d connects through POST /v1/sessions: first %.0f ms; "
                        + "following %d: p50 %.0f ms, p99 %.0f ms (min %.0f, max %.0f)%n", what, ms.length, first, rest.length,
                p50, p99, rest.length == 0 ? Double.NaN : rest[0], rest.length == 0 ? Double.NaN : rest[rest.length - 1]);
    }

    private static String field(String json, String name) {
        try {
            return JSON.readTree(json).path(name).asText();
        } catch (IOException e) {
            return "";
        }
    }
}
