package dev.scout.bench.natlab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scout.bench.Fragment;
import dev.scout.natlab.NatLab;
import dev.scout.natlab.PortMappingRouter;
import dev.scout.natlab.ScoutLab;
import dev.scout.natlab.ScoutLab.Device;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * Connects between real {@code scout daemon}s (scout.jar) in the NAT lab (network namespaces, real iptables
 * NAT, 80 ms one-way per hop, a public DHT of 8 nodes), every daemon with DEFAULT options: Carol on the public
 * host relays by default and announces herself on the DHT; the homes find her there, register and publish
 * her as their relay. Per NAT pair, through {@code POST /v1/sessions} ({@link PairRuns}): the first connect's
 * time and {@code via}, and for a session that starts through the relay the time until it runs
 * {@code via direct}; then how many of the tries ran direct within 20 s.
 * <ul>
 * <li>cone ↔ cone: Alice (h1) → Bob (h2), {@code --connects} tries (the first one relay first, then direct;
 * the following ones over the kept-open path);</li>
 * <li>public ↔ cone: Carol (public host) → Alice; cone ↔ symmetric: Alice → Dave (h3, birthday punching);
 * symmetric (port-mapped) ↔ symmetric: Frank (h5, whose router runs miniupnpd) → Erin: {@code --tries}
 * each;</li>
 * <li>symmetric ↔ symmetric: Dave → Erin (h4), {@code --connects} tries, only through the relay (the first
 * one watched 20 s for a direct path that must not come);</li>
 * <li>throughput of one {@code scout pipe}: Dave → Erin through Carol's relay (default, modest limits) next to
 * Alice → Bob direct;</li>
 * <li>loopback: two daemons on a loopback testnet ({@code scout testnet}) in a namespace of their own.</li>
 * </ul>
 * The home routers drop unsolicited packets from their WAN side, as home routers do ({@link NatLab#firewall});
 * {@code --no-firewall} leaves them out (then a punch packet that arrives first takes the conntrack tuple the
 * other NAT needs). Needs root, miniupnpd and nft (fails loudly otherwise, like the lab tests).
 *
 * <pre>java -cp benchmarks.jar dev.scout.bench.natlab.NatLabBench --scout-jar scout-cli/target/scout.jar --connects 50 --tries 10 --out parts/natlab.txt</pre>
 */
public final class NatLabBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private NatLabBench() {}

    public static void main(String[] args) throws Exception {
        int connects = 50;
        int tries = 10;
        int oneSided = 3;
        boolean firewall = true;
        int relayMb = 4;
        int directMb = 32;
        Path out = Path.of("natlab.txt");
        Path scoutJar = Path.of("scout-cli/target/scout.jar");
        for (int i = 0; i < args.length; i += 2) {
            if (args[i].equals("--no-firewall")) {
                firewall = false;
                i--; // a flag without a value
                continue;
            }
            switch (args[i]) {
                case "--connects" -> connects = Integer.parseInt(args[i + 1]);
                case "--tries" -> tries = Integer.parseInt(args[i + 1]);
                case "--one-sided" -> oneSided = Integer.parseInt(args[i + 1]);
                case "--relay-mb" -> relayMb = Integer.parseInt(args[i + 1]);
                case "--direct-mb" -> directMb = Integer.parseInt(args[i + 1]);
                case "--out" -> out = Path.of(args[i + 1]);
                case "--scout-jar" -> scoutJar = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (!Files.isRegularFile(scoutJar)) {
            throw new IllegalStateException("no " + scoutJar + ": build scout-cli first");
        }
        NatLab.requireCapabilities();
        PortMappingRouter.requireCapabilities();
        Fragment f = new Fragment();
        f.put("natlab_connects", connects);
        Path work = Files.createTempDirectory("scout-natlab-bench-");
        NatLab lab = new NatLab();
        try {
            lab.build(false, false, true, true, true);
            if (firewall) {
                // Home routers drop unsolicited packets from the WAN (docs/sessions.md, "Birthday punching"):
                // without that, a punch packet arriving before the other side's first one left takes the
                // conntrack tuple that side's NAT needs, and its own packets leave from another port.
                for (int k = 1; k <= 5; k++) {
                    lab.firewall(k);
                }
            }
            f.put("natlab_home_firewall", firewall);
            PortMappingRouter router = lab.portMapping(5);
            lab.isolated("loop");
            // scout.jar for the daemons; this jar for the lab's PublicDht
            String cp = scoutJar.toAbsolutePath() + File.pathSeparator + System.getProperty("java.class.path");
            // the daemons run with the JVM's defaults, as ./scout runs them (a smaller heap: several share the machine)
            List<String> jvm = List.of("-Xmx256m");
            ScoutLab nat = new ScoutLab(lab, cp, work.resolve("nat"), jvm);
            nat.startPublicDht(8);
            Device carol = nat.device("carol", "pub", 6881);
            Device alice = nat.device("alice", "h1", 6881);
            Device bob = nat.device("bob", "h2", 6881);
            Device dave = nat.device("dave", "h3", 6881);
            Device erin = nat.device("erin", "h4", 6881);
            Device frank = nat.device("frank", "h5", 6881);
            Map<Device, List<Device>> contacts = new LinkedHashMap<>();
            contacts.put(carol, List.of(alice));
            contacts.put(alice, List.of(bob, carol, dave));
            contacts.put(bob, List.of(alice, dave));
            contacts.put(dave, List.of(alice, bob, erin));
            contacts.put(erin, List.of(dave, frank));
            contacts.put(frank, List.of(erin));
            long t0 = System.nanoTime();
            start(contacts, router.wanAddress() + ":6881");
            System.out.printf(Locale.ROOT, "[natlab] six default daemons knew their NATs, found, registered with and published "
                    + "a home relay (Frank: his port mapping), and had their contacts' addresses in %d ms%n", (System.nanoTime() - t0) / 1_000_000);

            // As two `scout pipe`s: both ask at once (the usual case for a first connect between two people) ...
            PairRuns.report(f, "natlab_cone", "cone <-> cone (80 ms one-way per hop), both ask",
                    PairRuns.connect(alice, bob, connects, connects, true));
            PairRuns.report(f, "natlab_public_cone", "public <-> cone, both ask", PairRuns.connect(carol, alice, tries, tries, true));
            PairRuns.report(f, "natlab_cone_symmetric", "cone <-> symmetric, both ask", PairRuns.connect(alice, dave, tries, tries, true));
            PairRuns.report(f, "natlab_mapped_symmetric", "symmetric with miniupnpd <-> symmetric, both ask",
                    PairRuns.connect(frank, erin, tries, tries, true));
            PairRuns.report(f, "natlab_relay", "symmetric <-> symmetric (relay only), both ask",
                    PairRuns.connect(dave, erin, connects, 1, true));
            // ... and one side alone (the other's session stays unclaimed), on a pair that has not met yet: Bob -> Dave.
            PairRuns.report(f, "natlab_one_sided_cone_symmetric", "cone <-> symmetric, one side asks",
                    PairRuns.connect(bob, dave, oneSided, oneSided, false));

            f.put("natlab_relay_pipe_mb", relayMb);
            f.put("natlab_relay_pipe_mb_per_s", PairRuns.pipe(f, "natlab_relay_pipe", dave, erin, relayMb, work, "relay pipe, symmetric <-> symmetric through Carol"));
            f.put("natlab_direct_pipe_mb", directMb);
            f.put("natlab_direct_pipe_mb_per_s", PairRuns.pipe(f, "natlab_direct_pipe", alice, bob, directMb, work, "direct pipe, cone <-> cone"));

            ScoutLab loop = new ScoutLab(lab, cp, work.resolve("loop"), jvm);
            loop.startDht("loop", "127.0.0.1", 16);
            Device a2 = loop.device("alice", "loop", 6881);
            Device b2 = loop.device("bob", "loop", 6882);
            pair(a2, b2, "127.0.0.1:6881", "127.0.0.1:6882", "none");
            report(f, "natlab_loopback", "loopback daemons", PairRuns.connect(a2, b2, connects, 0, false));
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

    /**
     * Identities, contacts, default daemons; returns once each knows its NAT, each home behind a NAT found a
     * relay on the DHT, registered and published it to every contact (Frank: once his port is mapped at
     * {@code mapped}), and each has its contacts' device entries.
     */
    private static void start(Map<Device, List<Device>> contacts, String mapped) {
        contacts.keySet().parallelStream().forEach(Device::init);
        contacts.forEach((d, cs) -> cs.forEach(d::addContact));
        contacts.keySet().parallelStream().forEach(d -> d.startDaemon());
        contacts.forEach((d, cs) -> {
            String nat = d.ns().equals("pub") ? "none" : d.ns().equals("h1") || d.ns().equals("h2") ? "cone" : "symmetric";
            d.awaitApi(h -> {
                JsonNode s = json(h);
                if (d.ns().equals("h5")) {
                    return mapped.equals(s.path("port_mapping").path("external").asText());
                }
                return nat.equals(s.path("nat").asText()) && (nat.equals("none") || s.path("relay").path("registered").asBoolean()
                        && "dht".equals(s.path("relay").path("found").asText()) && s.path("relay").path("published_to").asInt() == cs.size());
            }, "/v1/status", 180);
        });
        contacts.forEach((d, cs) -> cs.forEach(c -> d.awaitApi(h -> json(h).path("devices").size() > 0, "/v1/contacts/" + c.name(), 120)));
    }

    private static JsonNode json(ScoutLab.Http h) {
        try {
            return h.status() == 200 ? JSON.readTree(h.body()) : JSON.createObjectNode();
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
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

    private static void report(Fragment f, String key, String what, PairRuns.Connect[] c) {
        double[] ms = Arrays.stream(c).mapToDouble(PairRuns.Connect::connectMs).toArray();
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
