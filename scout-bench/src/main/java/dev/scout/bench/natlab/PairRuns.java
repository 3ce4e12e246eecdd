package dev.scout.bench.natlab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scout.bench.Fragment;
import dev.scout.natlab.Proc;
import dev.scout.natlab.ScoutLab;
import dev.scout.natlab.ScoutLab.Device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * What {@link NatLabBench} measures on one pair of daemons in the NAT lab: connects through
 * {@code POST /v1/sessions} (connect time, {@code via}, and for a session that starts through a relay the
 * time until {@code GET /v1/sessions} shows it {@code via direct}), and a {@code scout pipe}'s throughput.
 */
final class PairRuns {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long a relayed session may take to move to the direct path (issue 21: birthday punching within 20 s). */
    private static final long DIRECT_WITHIN_MS = 20_000;

    /** One connect: its connect time, how it was made, and when (ms after the POST) it ran direct; -1 if never. */
    record Connect(double connectMs, String via, String punch, double directMs) {}

    private PairRuns() {}

    /**
     * {@code n} connects from {@code a} to {@code b}, each closed before the next (which waits until {@code b}
     * saw it end); the first {@code watch} sessions, if they start through a relay, are watched up to 20 s for a
     * move to the direct path. With {@code both}, {@code b} asks for a session with {@code a} at the same moment,
     * as two {@code scout pipe}s do; the figures are {@code a}'s session's (which may be the one {@code b} opened).
     */
    static Connect[] connect(Device a, Device b, int n, int watch, boolean both) throws IOException {
        Connect[] out = new Connect[n];
        for (int i = 0; i < n; i++) {
            boolean watchPath = i < watch;
            long t0 = System.nanoTime();
            CompletableFuture<ScoutLab.Http> other = both
                    ? CompletableFuture.supplyAsync(() -> b.api("POST", "/v1/sessions", "{\"contact\":\"" + a.name() + "\"}"))
                    : CompletableFuture.completedFuture(null);
            ScoutLab.Http r = a.api("POST", "/v1/sessions", "{\"contact\":\"" + b.name() + "\"}");
            ScoutLab.Http theirs = other.join();
            if (r.status() != 201 || theirs != null && theirs.status() != 201) {
                throw new IllegalStateException(a.name() + " -> " + b.name() + ": connect " + (i + 1) + " of " + n + " failed: "
                        + r + (theirs == null ? "" : "; " + b.name() + "'s: " + theirs));
            }
            JsonNode s = JSON.readTree(r.body());
            if (!both && s.path("incoming").asBoolean()) {
                throw new IllegalStateException("connect " + (i + 1) + " took a session the peer opened: " + r);
            }
            String id = s.path("id").asText();
            String via = s.path("via").asText();
            double directMs = "relay".equals(via) ? -1 : 0;
            if (watchPath && directMs < 0) {
                directMs = awaitDirect(a, id, t0);
                s = session(a, id); // punch detail, if any, once direct
            }
            out[i] = new Connect(s.path("connect_ms").asDouble(), via, s.path("punch").asText(""), directMs);
            if (i == 0 || (i + 1) % 10 == 0 || (watchPath && watch <= 10)) {
                System.out.printf(Locale.ROOT, "[natlab]   %s -> %s: connect %d of %d: %.0f ms via %s%s%n", a.name(), b.name(),
                        i + 1, n, out[i].connectMs, via, "relay".equals(via) && watchPath
                                ? (directMs < 0 ? ", still relayed after 20 s" : String.format(Locale.ROOT, ", direct %.0f ms after the POST%s",
                                directMs, out[i].punch.isEmpty() ? "" : " (punch " + out[i].punch + ")")) : "");
            }
            ScoutLab.Http closed = a.api("DELETE", "/v1/sessions/" + id, null);
            if (closed.status() / 100 != 2) {
                throw new IllegalStateException("closing session " + (i + 1) + " failed: " + closed);
            }
            if (theirs != null) {
                b.api("DELETE", "/v1/sessions/" + JSON.readTree(theirs.body()).path("id").asText(), null);
                a.awaitApi(h -> h.status() == 200 && !h.body().contains("\"state\":\"open\""), "/v1/sessions", 30);
            }
            b.awaitApi(h -> h.status() == 200 && !h.body().contains("\"state\":\"open\""), "/v1/sessions", 30);
        }
        return out;
    }

    /** Polls {@code GET /v1/sessions} until session {@code id} runs {@code via direct}; ms since {@code t0}, or -1 after 20 s. */
    private static double awaitDirect(Device a, String id, long t0) throws IOException {
        while ((System.nanoTime() - t0) / 1_000_000 < DIRECT_WITHIN_MS) {
            JsonNode s = session(a, id);
            if ("direct".equals(s.path("via").asText())) {
                return (System.nanoTime() - t0) / 1e6;
            }
            if (s.isMissingNode()) {
                throw new IllegalStateException(a.name() + "'s session " + id + " ended while relayed");
            }
            try {
                Thread.sleep(20); // the polling interval of the measurement (its resolution)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        return -1;
    }

    private static JsonNode session(Device a, String id) throws IOException {
        for (JsonNode s : JSON.readTree(a.api("GET", "/v1/sessions", null).body()).path("sessions")) {
            if (id.equals(s.path("id").asText())) {
                return s;
            }
        }
        return JSON.missingNode();
    }

    /** Figures for one pair's connects: the first connect apart, how the sessions were made, time to direct. */
    static void report(Fragment f, String key, String what, Connect[] c) {
        Map<String, Integer> vias = new TreeMap<>();
        int direct = 0;
        double[] toDirect = new double[c.length];
        int m = 0;
        for (Connect x : c) {
            vias.merge(x.via + (x.punch.isEmpty() ? "" : "+" + x.punch), 1, Integer::sum);
            if (x.directMs >= 0) {
                direct++;
                if ("relay".equals(x.via)) {
                    toDirect[m++] = x.directMs;
                }
            }
        }
        double[] moved = Arrays.copyOf(toDirect, m);
        Arrays.sort(moved);
        f.put(key + "_tries", c.length);
        f.put(key + "_first_connect_ms", c[0].connectMs);
        f.put(key + "_first_via", c[0].via);
        f.put(key + "_first_to_direct_ms", c[0].directMs < 0 ? null : c[0].directMs);
        f.put(key + "_direct_count", direct);
        f.put(key + "_vias", vias.toString());
        f.put(key + "_relay_to_direct_p50_ms", m == 0 ? null : moved[m / 2]);
        f.put(key + "_relay_to_direct_max_ms", m == 0 ? null : moved[m - 1]);
        System.out.printf(Locale.ROOT, "[natlab] %s: first connect %.0f ms via %s%s; %d of %d tries direct within 20 s "
                        + "(via: %s)%s%n", what, c[0].connectMs, c[0].via,
                c[0].via.equals("relay") ? (c[0].directMs < 0 ? ", never direct" : String.format(Locale.ROOT, ", direct after %.0f ms", c[0].directMs)) : "",
                direct, c.length, vias, m == 0 ? "" : String.format(Locale.ROOT, "; relay -> direct p50 %.0f ms, max %.0f ms", moved[m / 2], moved[m - 1]));
    }

    /**
     * {@code mb} MB from {@code a} to {@code b} through two {@code scout pipe}s, checked byte for byte; the
     * throughput from the first byte's arrival to the last (connect and JVM starts excluded), in MB/s.
     */
    static double pipe(Fragment f, String key, Device a, Device b, int mb, Path work, String tag) throws IOException, InterruptedException {
        byte[] data = new byte[mb << 20];
        new Random(mb).nextBytes(data);
        Path file = work.resolve(tag + ".bin");
        Path copy = work.resolve(tag + "-copy");
        Files.write(file, data);
        Files.deleteIfExists(copy);
        Proc send = a.pipe(b.name(), file, work.resolve(tag + "-back"));
        Proc receive = b.pipe(a.name(), Path.of("/dev/null"), copy);
        long deadline = System.nanoTime() + 180_000_000_000L;
        long first = -1;
        long size;
        while ((size = Files.exists(copy) ? Files.size(copy) : 0) < data.length) {
            if (first < 0 && size > 0) {
                first = System.nanoTime();
            }
            if (System.nanoTime() > deadline || !receive.process().isAlive() && size < data.length) {
                throw new IllegalStateException(tag + ": " + size + " of " + data.length + " bytes arrived: "
                        + send.transcript() + " / " + receive.transcript());
            }
            Thread.sleep(first < 0 ? 2 : 10); // sampling the copy's size: this measures, it waits for nothing
        }
        long last = System.nanoTime();
        if (send.awaitExit(60) != 0 || receive.awaitExit(60) != 0) {
            throw new IllegalStateException(tag + ": a pipe failed: " + send.transcript() + " / " + receive.transcript());
        }
        if (!Arrays.equals(Files.readAllBytes(copy), data)) {
            throw new IllegalStateException(tag + ": the copy differs from what was sent");
        }
        double mbs = (data.length / 1e6) / Math.max(1e-9, (last - Math.max(first, 0)) / 1e9);
        java.util.regex.Matcher via = java.util.regex.Pattern.compile("via (\\w+)\\)").matcher(String.join("\n", send.transcript()));
        f.put(key + "_via", via.find() ? via.group(1) : "unknown"); // how the sender's session began
        System.out.printf(Locale.ROOT, "[natlab] %s: %d MiB intact, %.2f MB/s from first byte to last; pipes said: %s%n",
                tag, mb, mbs, String.join(" | ", send.transcript()).replaceAll("\\s+", " "));
        return mbs;
    }
}
