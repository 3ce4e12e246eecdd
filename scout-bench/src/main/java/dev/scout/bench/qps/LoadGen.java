package dev.scout.bench.qps;

import dev.scout.bench.Fragment;
import dev.scout.dht.Addresses;
import dev.scout.dht.NodeId;
import dev.scout.dht.krpc.KrpcCodec;
import dev.scout.dht.krpc.KrpcMessage;
import dev.scout.dht.krpc.KrpcQuery;
import dev.scout.dht.krpc.KrpcResponse;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The query-throughput load generator: one thread, non-blocking NIO, a fixed window of requests in
 * flight (find_node, get_peers and get in turn, random targets) from a few source sockets, each slot
 * refilled as soon as its answer arrives or its timeout passes. Counts answers per second over a fixed
 * window after a warm-up, bounded in both time and count. The same generator drives every target
 * (Scout, libtorrent, a raw UDP echo); only the target address changes.
 *
 * <p>Before measuring, "fake nodes" on 127.0.1.x:48881 introduce themselves to the target with a ping
 * and answer its queries, so the target's routing table holds real entries and its find_node /
 * get_peers / get answers carry 8 nodes, as on the real network. (Scout verifies nodes that query it
 * right away; libtorrent only does so slowly, so its driver script also adds the fake nodes itself.)
 */
public final class LoadGen {
    private static final String[] METHODS = {"find_node", "get_peers", "get"};
    private static final int VARIANTS = 64;

    private final InetSocketAddress target;
    private final boolean echo;
    private final DatagramChannel[] sources;
    private final NodeId[] sourceIds;
    /** [source][method][variant] encoded query; bytes tOffset..+4 are the transaction id. */
    private final byte[][][][] templates;
    private final int[][][] tOffsets;
    private final ByteBuffer rx = ByteBuffer.allocateDirect(65_536);
    private final byte[] rxBytes = new byte[65_536];
    private final DatagramPeek peek = new DatagramPeek();

    // in-flight slots
    private final int window;
    private final long[] sentAt;
    private final int[] generation;
    private final int[] slotMethod;
    private final boolean[] busy;
    private final int[] freeStack;
    private int freeTop;

    private long sent;
    private long answered;
    private long warmupAnswered;
    private double warmupSeconds;
    private double warmupCpu;
    private long errors;
    private long lost;
    private long late;
    private long answeredBytes;
    private final long[] answeredByMethod = new long[METHODS.length];
    private long serverQueries; // pings etc. the target sent us
    private long[] latencies = new long[1 << 20];
    private int latencyCount;
    private boolean measuring;
    private long rotation;

    LoadGen(InetSocketAddress target, boolean echo, int sourceCount, int window, long seed) throws IOException {
        this.target = target;
        this.echo = echo;
        this.window = window;
        Random random = new Random(seed);
        sources = new DatagramChannel[sourceCount];
        sourceIds = new NodeId[sourceCount];
        templates = new byte[sourceCount][METHODS.length][VARIANTS][];
        tOffsets = new int[sourceCount][METHODS.length][VARIANTS];
        for (int s = 0; s < sourceCount; s++) {
            DatagramChannel ch = DatagramChannel.open();
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            ch.bind(new InetSocketAddress("127.0.2." + (s + 1), 0));
            ch.configureBlocking(false);
            sources[s] = ch;
            sourceIds[s] = NodeId.random(random);
            for (int m = 0; m < METHODS.length; m++) {
                for (int v = 0; v < VARIANTS; v++) {
                    byte[] q = QueryTemplates.query(sourceIds[s], METHODS[m], NodeId.random(random));
                    templates[s][m][v] = q;
                    tOffsets[s][m][v] = QueryTemplates.tOffset(q);
                }
            }
        }
        sentAt = new long[window];
        generation = new int[window];
        slotMethod = new int[window];
        busy = new boolean[window];
        freeStack = new int[window];
        for (int i = 0; i < window; i++) {
            freeStack[freeTop++] = i;
        }
    }


    // ---- load loop -------------------------------------------------------------------------------

    private void sendOne(int slot) throws IOException {
        long r = rotation++;
        int s = (int) (r % sources.length);
        int m = (int) ((r / sources.length) % METHODS.length);
        int v = (int) ((r / (sources.length * METHODS.length)) % VARIANTS);
        byte[] q = templates[s][m][v];
        int off = tOffsets[s][m][v];
        int gen = (generation[slot] + 1) & 0xFFFF;
        generation[slot] = gen;
        q[off] = (byte) (slot >>> 8);
        q[off + 1] = (byte) slot;
        q[off + 2] = (byte) (gen >>> 8);
        q[off + 3] = (byte) gen;
        slotMethod[slot] = m;
        busy[slot] = true;
        sentAt[slot] = System.nanoTime();
        if (sources[s].send(ByteBuffer.wrap(q), target) == 0) {
            // socket buffer full: the request is as good as lost; the timeout frees the slot
        }
        sent++;
    }

    /**
     * Warms up for at least {@code warmupMillis} and until the server has used {@code warmupCpuSeconds}
     * of CPU (so its JIT has compiled the hot paths even when it shares its core with other jobs), but
     * never longer than {@code warmupMaxMillis}; then counts for up to {@code measureMillis} /
     * {@code maxAnswers}.
     */
    double[] run(long warmupMillis, double warmupCpuSeconds, long warmupMaxMillis, long measureMillis,
                 long maxAnswers, long timeoutMillis, long serverPid) throws IOException {
        long timeoutNanos = timeoutMillis * 1_000_000L;
        long start = System.nanoTime();
        double cpuAtStart = ProcessCpu.seconds(serverPid);
        long measureStart = start + warmupMillis * 1_000_000L;
        long warmupDeadline = start + Math.max(warmupMillis, warmupMaxMillis) * 1_000_000L;
        long nextCpuCheck = measureStart;
        long measureEnd = Long.MAX_VALUE;
        long nextTimeoutScan = start;
        double cpuStart = 0;
        long answeredAtStart = 0;
        long now = start;
        while (true) {
            while (freeTop > 0) {
                sendOne(freeStack[--freeTop]);
            }
            boolean any = false;
            for (int s = 0; s < sources.length; s++) {
                for (int k = 0; k < 64; k++) {
                    rx.clear();
                    SocketAddress from = sources[s].receive(rx);
                    if (from == null) {
                        break;
                    }
                    any = true;
                    rx.flip();
                    int len = rx.remaining();
                    rx.get(rxBytes, 0, len);
                    onDatagram(s, len, from);
                }
            }
            now = System.nanoTime();
            if (!measuring && now >= measureStart && now < warmupDeadline && now >= nextCpuCheck
                    && !Double.isNaN(cpuAtStart) && ProcessCpu.seconds(serverPid) - cpuAtStart < warmupCpuSeconds) {
                nextCpuCheck = now + 100_000_000L; // the server has not had enough CPU yet: keep warming up
                measureStart = nextCpuCheck;
            }
            if (!measuring && now >= measureStart) {
                measuring = true;
                warmupSeconds = (now - start) / 1e9;
                warmupCpu = ProcessCpu.seconds(serverPid) - cpuAtStart;
                measureEnd = now + measureMillis * 1_000_000L;
                answeredAtStart = warmupAnswered;
                answered = 0;
                errors = 0;
                lost = 0;
                late = 0;
                answeredBytes = 0;
                Arrays.fill(answeredByMethod, 0);
                latencyCount = 0;
                sent = 0;
                cpuStart = ProcessCpu.seconds(serverPid);
                measureStart = now;
            }
            if (measuring && (now >= measureEnd || answered >= maxAnswers)) {
                break;
            }
            if (now >= nextTimeoutScan || !any) {
                for (int i = 0; i < window; i++) {
                    if (busy[i] && now - sentAt[i] > timeoutNanos) {
                        busy[i] = false;
                        if (measuring) {
                            lost++;
                        }
                        freeStack[freeTop++] = i;
                    }
                }
                nextTimeoutScan = now + 2_000_000L;
            }
        }
        double seconds = (now - measureStart) / 1e9;
        double cpu = ProcessCpu.seconds(serverPid) - cpuStart;
        if (answeredAtStart == 0) {
            System.out.println("[loadgen] warning: no answers during warm-up");
        }
        return new double[] {answered / seconds, seconds, cpu};
    }

    private static final boolean DEBUG = System.getenv("LOADGEN_DEBUG") != null;
    private int debugged;

    private void onDatagram(int source, int len, SocketAddress from) throws IOException {
        byte[] b = rxBytes;
        if (DEBUG && debugged++ < 5) {
            System.out.println("[loadgen] got " + len + " bytes from " + from + ": "
                    + new String(b, 0, len, StandardCharsets.ISO_8859_1).replaceAll("[^ -~]", "."));
        }
        // Find the top-level "t" and "y" without decoding the rest.
        if (!peek.scan(b, len)) {
            return;
        }
        int tAt = peek.tAt;
        int tLen = peek.tLen;
        byte y = peek.y;
        if (y == 'q' && !echo) {
            answerServerQuery(source, len, from);
            return;
        }
        if (tLen != 4) {
            return;
        }
        int slot = ((b[tAt] & 0xFF) << 8) | (b[tAt + 1] & 0xFF);
        int gen = ((b[tAt + 2] & 0xFF) << 8) | (b[tAt + 3] & 0xFF);
        if (slot >= window || !busy[slot] || generation[slot] != gen) {
            if (DEBUG && late < 5) {
                System.out.println("[loadgen] unmatched slot " + slot + " gen " + gen + " busy "
                        + (slot < window && busy[slot]) + " current gen " + (slot < window ? generation[slot] : -1));
            }
            late++;
            return;
        }
        busy[slot] = false;
        long rtt = System.nanoTime() - sentAt[slot];
        if (!measuring) {
            warmupAnswered++;
        } else {
            if (y == 'e') {
                errors++;
            } else {
                answered++;
                answeredBytes += len;
                answeredByMethod[slotMethod[slot]]++;
                if (latencyCount < latencies.length) {
                    latencies[latencyCount++] = rtt;
                }
            }
        }
        sendOne(slot);
    }


    /** The target verifies the sender of unknown queries with a ping: answer like a real node would. */
    private void answerServerQuery(int source, int len, SocketAddress from) throws IOException {
        serverQueries++;
        try {
            KrpcMessage m = KrpcCodec.decode(rxBytes, 0, len);
            if (m instanceof KrpcQuery q) {
                byte[] reply = KrpcCodec.encode(KrpcResponse.simple(q.transactionId(), sourceIds[source]));
                sources[source].send(ByteBuffer.wrap(reply), from);
            }
        } catch (Exception e) {
            // not for us
        }
    }

    // ---- populate --------------------------------------------------------------------------------

    /** How many nodes the target puts in a find_node answer right now (-1 if it did not answer). */
    int probeNodes() throws IOException {
        byte[] q = QueryTemplates.query(sourceIds[0], "find_node", NodeId.random(new Random()));
        int off = QueryTemplates.tOffset(q);
        q[off] = 'p';
        q[off + 1] = 'r';
        q[off + 2] = 'o';
        q[off + 3] = 'b';
        sources[0].send(ByteBuffer.wrap(q), target);
        long until = System.nanoTime() + 500_000_000L;
        while (System.nanoTime() < until) {
            rx.clear();
            SocketAddress from = sources[0].receive(rx);
            if (from == null) {
                Thread.onSpinWait();
                continue;
            }
            rx.flip();
            int len = rx.remaining();
            rx.get(rxBytes, 0, len);
            try {
                KrpcMessage m = KrpcCodec.decode(rxBytes, 0, len);
                if (m instanceof KrpcResponse r && new String(r.transactionId(), StandardCharsets.ISO_8859_1).equals("prob")) {
                    return r.nodes().size();
                }
                if (m instanceof KrpcQuery) {
                    answerServerQuery(0, len, from);
                }
            } catch (Exception e) {
                // ignore
            }
        }
        return -1;
    }

    // ---- main ------------------------------------------------------------------------------------

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = Fragment.args(argv);
        String name = a.getOrDefault("name", "target");
        InetSocketAddress target = Addresses.parse(a.getOrDefault("target", "127.0.0.1:6881"));
        boolean echo = a.containsKey("echo");
        int populate = Integer.parseInt(a.getOrDefault("populate", echo ? "0" : "64"));
        long warmup = Long.parseLong(a.getOrDefault("warmup-ms", "3000"));
        double warmupCpuS = Double.parseDouble(a.getOrDefault("warmup-cpu-s", "2"));
        long warmupMax = Long.parseLong(a.getOrDefault("warmup-max-ms", "20000"));
        long measure = Long.parseLong(a.getOrDefault("measure-ms", "5000"));
        long maxAnswers = Long.parseLong(a.getOrDefault("max-answers", "5000000"));
        int window = Integer.parseInt(a.getOrDefault("inflight", "256"));
        int sourceCount = Integer.parseInt(a.getOrDefault("sources", "4"));
        long timeoutMs = Long.parseLong(a.getOrDefault("timeout-ms", "1000"));
        long serverPid = Long.parseLong(a.getOrDefault("server-pid", "0"));
        int fakePort = Integer.parseInt(a.getOrDefault("fake-port", "48881"));
        Path out = Path.of(a.getOrDefault("out", "bench/results/parts/qps_" + name + ".txt"));

        LoadGen gen = new LoadGen(target, echo, sourceCount, window, 7);
        Fragment f = new Fragment();
        String p = "qps_" + name;
        int nodesInAnswer = -1;
        if (populate > 0) {
            nodesInAnswer = FakeNodes.introduce(gen, target, populate, fakePort, name);
            f.put(p + "_nodes_per_answer", nodesInAnswer);
        }
        double[] r = gen.run(warmup, warmupCpuS, warmupMax, measure, maxAnswers, timeoutMs, serverPid);
        long[] lat = Arrays.copyOf(gen.latencies, gen.latencyCount);
        Arrays.sort(lat);
        f.put(p, r[0])
                .put(p + "_window_s", r[1])
                .put(p + "_answers", gen.answered)
                .put(p + "_sent", gen.sent)
                .put(p + "_lost", gen.lost)
                .put(p + "_errors", gen.errors)
                .put(p + "_late", gen.late)
                .put(p + "_warmup_answers", gen.warmupAnswered)
                .put(p + "_warmup_s", gen.warmupSeconds)
                .put(p + "_warmup_server_cpu_s", gen.warmupCpu)
                .put(p + "_answer_bytes_mean", gen.answered == 0 ? Double.NaN : gen.answeredBytes / (double) gen.answered)
                .put(p + "_latency_p50_us", Fragment.percentile(lat, 50) / 1000.0)
                .put(p + "_latency_p99_us", Fragment.percentile(lat, 99) / 1000.0)
                .put(p + "_server_cpu_s", r[2])
                .put(p + "_per_server_cpu_s", r[2] > 0 ? gen.answered / r[2] : Double.NaN)
                // share of one core the server got during the window: near 1 = saturated, the raw rate is
                // its capacity; well below 1 = it was starved (busy machine) or not loaded enough
                .put(p + "_server_cpu_share", r[2] / r[1])
                .put(p + "_inflight", window);
        for (int m = 0; m < METHODS.length; m++) {
            f.put(p + "_answers_" + METHODS[m], gen.answeredByMethod[m]);
        }
        f.write(out);
        System.out.printf(Locale.ROOT, "[loadgen] %s: %.0f answers/s over %.1f s after a %.1f s warm-up (server CPU "
                        + "%.2f s) (%d answers, %d lost, %d errors, %.0f bytes/answer, p50 %.0f us, p99 %.0f us, "
                        + "server CPU %.2f s)%n",
                name, r[0], r[1], gen.warmupSeconds, gen.warmupCpu, gen.answered, gen.lost, gen.errors,
                gen.answered == 0 ? 0.0 : gen.answeredBytes / (double) gen.answered,
                Fragment.percentile(lat, 50) / 1000.0, Fragment.percentile(lat, 99) / 1000.0, r[2]);
        System.exit(0);
    }
}
