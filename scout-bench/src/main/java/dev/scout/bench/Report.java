package dev.scout.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Merges the stage outputs with machine facts and ratios into {@code bench/results/latest.json}, checks
 * the targets, and prints the summary table. A stage writes its figures to {@code bench/results/parts/}
 * either as {@code key=value} lines ({@code *.txt}, see {@link Fragment}) or as one flat JSON object
 * ({@code *.json}); every part found is merged, so a new stage needs no change here.
 *
 * <pre>java -cp benchmarks.jar dev.scout.bench.Report --parts bench/results/parts --out bench/results/latest.json</pre>
 */
public final class Report {
    private Report() {}

    /** A goal from the issue: key, comparison and bound. */
    record Target(String key, String label, boolean atMost, double bound, String unit) {
        Boolean met(Map<String, Object> v) {
            Object o = v.get(key);
            if (!(o instanceof Number n)) {
                return null;
            }
            return atMost ? n.doubleValue() <= bound : n.doubleValue() >= bound;
        }
    }

    static final List<Target> TARGETS = List.of(
            new Target("sim_get_p50_ms", "mutable get p50", true, 250, "ms"),
            new Target("sim_get_p99_ms", "mutable get p99", true, 800, "ms"),
            new Target("sim_get_success", "mutable get success", false, 0.999, ""),
            new Target("sim_rpcs_per_get", "RPCs per get", true, 40, ""),
            new Target("sim_get_after_put_misses", "get-after-put misses", true, 0, ""),
            new Target("sim_sybil_get_success", "get success, 10% Sybils", false, 0.99, ""),
            new Target("sim_heap_bytes_per_node", "heap per node", true, 50 * 1024, "B"),
            // Answers per CPU-second of the server process: one core's capacity, valid whether or not the
            // server got its core to itself. The raw answers/s below equal it only when the server was
            // saturated (qps_*_server_cpu_share near 1) -- on a quiet machine.
            new Target("qps_scout_per_server_cpu_s", "queries per core-second", false, 100_000, "/s"),
            new Target("qps_scout_per_cpu_vs_libtorrent", "per-core ratio to libtorrent", false, 3, "x"),
            new Target("qps_scout_per_cpu_vs_udp_echo", "per-core ratio to raw UDP echo", false, 0.5, "x"),
            new Target("qps_scout", "queries/s (raw, one pinned core)", false, 100_000, "/s"),
            new Target("qps_scout_vs_libtorrent", "raw ratio to libtorrent", false, 3, "x"),
            new Target("qps_scout_vs_udp_echo", "raw ratio to raw UDP echo", false, 0.5, "x"),
            new Target("ed25519_verify_per_s", "Ed25519 verify", false, 20_000, "/s"),
            new Target("flood_put_ping_p99_ms", "ping p99 during a put flood", true, 50, "ms"),
            new Target("flood_announce_ping_p99_ms", "ping p99 during an announce flood", true, 50, "ms"),
            new Target("sim_record_alive_contact_online", "record found, owner offline 24 h", false, 0.999, ""),
            new Target("cli_status_p50_ms", "scout status through the daemon, p50", true, 300, "ms"),
            new Target("idle_100_contacts_packets", "idle UDP packets, 100 contacts, 30-150 s", true, 600, ""),
            new Target("push_send_to_heard_max_ms", "message to a running contact, max", true, 2000, "ms"));

    public static void main(String[] argv) throws IOException {
        Map<String, String> a = Fragment.args(argv);
        Path parts = Path.of(a.getOrDefault("parts", "bench/results/parts"));
        Path out = Path.of(a.getOrDefault("out", "bench/results/latest.json"));

        Map<String, Object> v = new LinkedHashMap<>();
        v.put("mode", a.getOrDefault("mode", "quick"));
        v.put("command", a.getOrDefault("command", "./bench/run"));
        v.put("started_utc", a.getOrDefault("started", ""));
        v.put("finished_utc", java.time.Instant.now().toString());
        v.put("git_commit", a.getOrDefault("commit", ""));
        v.put("machine_nproc", Runtime.getRuntime().availableProcessors());
        v.put("machine_cpu_model", cpuModel());
        v.put("machine_mem_total_kb", memTotalKb());
        v.put("machine_loadavg_start", a.getOrDefault("loadavg-start", ""));
        v.put("machine_loadavg_end", loadavg());
        v.put("java_version", System.getProperty("java.runtime.version"));
        v.put("java_vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        v.put("java_version_text", a.getOrDefault("java-version", ""));
        v.put("libtorrent_version", a.getOrDefault("libtorrent-version", ""));

        mergeParts(parts, v);
        ratio(v, "qps_scout_vs_libtorrent", "qps_scout", "qps_libtorrent");
        ratio(v, "qps_scout_vs_udp_echo", "qps_scout", "qps_udp_echo");
        ratio(v, "qps_libtorrent_vs_udp_echo", "qps_libtorrent", "qps_udp_echo");
        ratio(v, "qps_scout_per_cpu_vs_libtorrent", "qps_scout_per_server_cpu_s", "qps_libtorrent_per_server_cpu_s");
        ratio(v, "qps_scout_per_cpu_vs_udp_echo", "qps_scout_per_server_cpu_s", "qps_udp_echo_per_server_cpu_s");

        List<Map<String, Object>> targets = new ArrayList<>();
        for (Target t : TARGETS) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", t.key());
            m.put("goal", (t.atMost() ? "<= " : ">= ") + Fragment.format(t.bound()) + (t.unit().isEmpty() ? "" : " " + t.unit()));
            m.put("value", v.get(t.key()));
            m.put("met", t.met(v));
            targets.add(m);
        }
        v.put("targets", targets);

        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, MAPPER.writeValueAsString(jsonSafe(v)) + "\n", StandardCharsets.UTF_8);
        print(v);
        System.out.println("wrote " + out);
    }

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Every stage part in {@code parts}, in name order: {@code *.txt} as key=value lines, {@code *.json} as an object. */
    static void mergeParts(Path parts, Map<String, Object> v) throws IOException {
        if (!Files.isDirectory(parts)) {
            return;
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(parts)) {
            files = s.filter(p -> p.toString().endsWith(".txt") || p.toString().endsWith(".json")).sorted().toList();
        }
        for (Path p : files) {
            if (p.toString().endsWith(".json")) {
                JsonNode root = MAPPER.readTree(p.toFile());
                if (root == null || !root.isObject()) {
                    throw new IOException(p + ": a stage part must be one JSON object");
                }
                root.fields().forEachRemaining(e -> v.put(e.getKey(), MAPPER.convertValue(e.getValue(), Object.class)));
                continue;
            }
            for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    v.put(line.substring(0, eq), parse(line.substring(eq + 1)));
                }
            }
        }
    }

    /** JSON has no NaN or infinity: those become null (a figure that could not be measured). */
    static Object jsonSafe(Object o) {
        if (o instanceof Double d && (d.isNaN() || d.isInfinite())) {
            return null;
        }
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), jsonSafe(x)));
            return out;
        }
        if (o instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(jsonSafe(x)));
            return out;
        }
        return o;
    }

    private static void ratio(Map<String, Object> v, String key, String num, String den) {
        if (v.get(num) instanceof Number a && v.get(den) instanceof Number b && b.doubleValue() > 0) {
            v.put(key, a.doubleValue() / b.doubleValue());
        }
    }

    private static Object parse(String s) {
        if (s.equals("null") || s.equals("NaN") || s.endsWith("Infinity")) {
            return null; // not measured: JSON has no NaN
        }
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        try {
            if (s.matches("-?\\d+")) {
                return Long.parseLong(s);
            }
            if (s.matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?")) {
                return Double.parseDouble(s);
            }
        } catch (NumberFormatException e) {
            // fall through: text
        }
        return s;
    }

    // ---- output ----------------------------------------------------------------------------------

    private static void print(Map<String, Object> v) {
        String line = "-".repeat(78);
        System.out.println(line);
        System.out.printf(Locale.ROOT, "Scout benchmarks (%s) on %s cores, %s, Java %s%n", v.get("mode"),
                v.get("machine_nproc"), v.get("machine_cpu_model"), v.get("java_version"));
        System.out.printf(Locale.ROOT, "load average at start: %s, at end: %s%n", v.get("machine_loadavg_start"),
                v.get("machine_loadavg_end"));
        System.out.println(line);
        System.out.printf(Locale.ROOT, "Simulated network: %s nodes, %s stale, %s loss, churn %s/min, median RTT %s ms%n",
                s(v, "sim_nodes"), s(v, "sim_stale_share"), s(v, "sim_loss"), s(v, "sim_churn_per_min"),
                s(v, "sim_rtt_median_ms"));
        System.out.printf(Locale.ROOT, "  %-10s %8s %8s %8s %9s %9s%n", "operation", "p50 ms", "p90 ms", "p99 ms",
                "success", "RPCs/op");
        for (String op : new String[] {"get", "put", "find_node"}) {
            String rpcs = op.equals("get") ? s(v, "sim_rpcs_per_get") : s(v, "sim_" + op + "_rpcs_mean");
            System.out.printf(Locale.ROOT, "  %-10s %8s %8s %8s %9s %9s%n", op, s(v, "sim_" + op + "_p50_ms"),
                    s(v, "sim_" + op + "_p90_ms"), s(v, "sim_" + op + "_p99_ms"), s(v, "sim_" + op + "_success"), rpcs);
        }
        System.out.printf(Locale.ROOT, "  get: first value p50 %s ms; lookups ended by a soft timeout: %s; "
                        + "soft timeouts per get %s%n", s(v, "sim_get_first_value_p50_ms"),
                s(v, "sim_get_lookup_ended_by_soft_timeout_share"), s(v, "sim_get_soft_timeouts_mean"));
        System.out.printf(Locale.ROOT, "  put: lookup phase p50 %s ms, store phase p50 %s / p90 %s ms, stored on %s nodes%n",
                s(v, "sim_put_lookup_phase_p50_ms"), s(v, "sim_put_store_phase_p50_ms"),
                s(v, "sim_put_store_phase_p90_ms"), s(v, "sim_put_stored_mean"));
        System.out.printf(Locale.ROOT, "  get after put: %s misses in %s trials; with %s Sybils next to %s targets: get success %s%n",
                s(v, "sim_get_after_put_misses"), s(v, "sim_get_after_put_trials"), s(v, "sim_sybil_share"),
                s(v, "sim_sybil_targets"), s(v, "sim_sybil_get_success"));
        System.out.printf(Locale.ROOT, "  heap per node: %s B at the end (%s B after join); join: %s (%s s wall)%n",
                s(v, "sim_heap_bytes_per_node"), s(v, "sim_heap_bytes_per_node_joined"), s(v, "sim_join_method"),
                s(v, "sim_join_wall_s"));
        System.out.println(line);
        System.out.printf(Locale.ROOT, "Query throughput on UDP loopback (same load generator, server on one core)%n");
        System.out.printf(Locale.ROOT, "  %-11s %12s %14s %9s %9s %9s %10s%n", "target", "answers/s", "per CPU-second",
                "CPU share", "p50 us", "lost", "bytes/ans");
        for (String t : new String[] {"scout", "libtorrent", "udp_echo"}) {
            String p = "qps_" + t;
            System.out.printf(Locale.ROOT, "  %-11s %12s %14s %9s %9s %9s %10s%n", t, s(v, p),
                    s(v, p + "_per_server_cpu_s"), s(v, p + "_server_cpu_share"), s(v, p + "_latency_p50_us"),
                    s(v, p + "_lost"), s(v, p + "_answer_bytes_mean"));
        }
        for (String t : new String[] {"scout", "libtorrent", "udp_echo"}) {
            if (v.get("qps_" + t + "_server_cpu_share") instanceof Number share && share.doubleValue() < 0.8) {
                System.out.printf(Locale.ROOT, "  note: the %s server used only %.0f%% of its core: raw answers/s are not its "
                        + "capacity here, compare per CPU-second%n", t, 100 * share.doubleValue());
            }
        }
        System.out.printf(Locale.ROOT, "  Scout / libtorrent = %s, Scout / UDP echo = %s (per CPU-second: %s, %s)%n",
                s(v, "qps_scout_vs_libtorrent"), s(v, "qps_scout_vs_udp_echo"), s(v, "qps_scout_per_cpu_vs_libtorrent"),
                s(v, "qps_scout_per_cpu_vs_udp_echo"));
        System.out.println(line);
        System.out.println("Micro-benchmarks (JMH, one thread)");
        for (Map.Entry<String, Object> e : v.entrySet()) {
            String k = e.getKey();
            if (k.endsWith("_per_s") && v.containsKey(k.substring(0, k.length() - "_per_s".length()) + "_ns")) {
                String stem = k.substring(0, k.length() - "_per_s".length());
                System.out.printf(Locale.ROOT, "  %-38s %14s ops/s %10s ns/op%n", stem, s(v, k), s(v, stem + "_ns"));
            }
        }
        System.out.println(line);
        System.out.println("Targets");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> targets = (List<Map<String, Object>>) v.get("targets");
        for (Map<String, Object> t : targets) {
            Object met = t.get("met");
            System.out.printf(Locale.ROOT, "  %-33s goal %-14s value %-14s %s%n", t.get("key"), t.get("goal"),
                    t.get("value") == null ? "n/a" : Fragment.format(t.get("value")),
                    met == null ? "NOT MEASURED" : ((Boolean) met ? "met" : "NOT MET"));
        }
        System.out.println(line);
    }

    private static String s(Map<String, Object> v, String key) {
        Object o = v.get(key);
        if (o == null) {
            return "n/a";
        }
        if (o instanceof Double d) {
            double x = Math.abs(d);
            if (x >= 1000) {
                return String.format(Locale.ROOT, "%,.0f", d);
            }
            if (x >= 10) {
                return String.format(Locale.ROOT, "%.1f", d);
            }
            return String.format(Locale.ROOT, "%.3f", d);
        }
        if (o instanceof Long l && Math.abs(l) >= 10_000) {
            return String.format(Locale.ROOT, "%,d", l);
        }
        return String.valueOf(o);
    }

    private static String cpuModel() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static Long memTotalKb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return null;
    }

    static String loadavg() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "";
        }
    }
}
