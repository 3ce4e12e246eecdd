package dev.scout.bench.flood;

import dev.scout.bench.Fragment;
import dev.scout.dht.DhtConfig;
import dev.scout.dht.NodeId;
import dev.scout.dht.bencode.Bencode;
import dev.scout.dht.krpc.KrpcCodec;
import dev.scout.dht.krpc.KrpcQuery;
import dev.scout.dht.krpc.KrpcResponse;
import dev.scout.dht.krpc.Query;
import dev.scout.dht.krpc.Want;
import dev.scout.dht.node.NodeCore;
import dev.scout.dht.node.Outbox;
import dev.scout.dht.server.ServerLimits;
import dev.scout.dht.storage.PeerStore;
import dev.scout.dht.transport.UdpTransport;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The algorithmic-DoS cases of issue 11 as figures: what one {@code put} or {@code announce_peer}
 * costs the node when its store is nearly empty and when it is full, and how fast a ping from
 * another socket is answered while a hostile sender floods it over UDP.
 *
 * <p>Costs are node time per datagram on the sans-IO core (decode, checks, store, encoded answer):
 * CPU time of the thread, median of 7 batches of 1,000, so a busy machine does not inflate them. The per-IP rate limits are lifted on this node so that one load
 * generator stands for many hosts and the store itself is what is measured; the rate limits are
 * tested separately ({@code FloodTest}).
 *
 * <pre>java -cp benchmarks.jar dev.scout.bench.flood.FloodBench --out parts/flood.txt --seconds 5 --rate 30000</pre>
 */
public final class FloodBench {
    private static final int FULL_ITEMS = 10_000;
    private static final int FULL_PEERS = 100_000;
    private static final int BATCH = 1_000;
    /** Node time is CPU time of the thread running the core: other jobs on the machine do not inflate it. */
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private final AtomicReference<Outbox> sink = new AtomicReference<>((d, to) -> { });
    private final List<byte[]> captured = new ArrayList<>();
    private final Random random = new Random(42);
    private int tid;

    private FloodBench() {}

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = Fragment.args(argv);
        Path out = Path.of(a.getOrDefault("out", "bench/results/parts/flood.txt"));
        int seconds = Integer.parseInt(a.getOrDefault("seconds", "5"));
        int rate = Integer.parseInt(a.getOrDefault("rate", "30000"));
        Fragment f = new Fragment();
        new FloodBench().run(f, seconds, rate);
        f.write(out);
        f.values().forEach((k, v) -> System.out.println("[flood] " + k + " = " + v));
    }

    private void run(Fragment f, int seconds, int rate) throws Exception {
        f.put("flood_rate_per_s", rate);
        f.put("flood_seconds", seconds);

        NodeCore items = core();
        fillItems(items, 1_000);
        f.put("flood_put_1k_us", putCostMicros(items));
        fillItems(items, FULL_ITEMS);
        f.put("flood_put_full_us", putCostMicros(items));
        f.put("flood_put_full_items", items.itemStore().count());
        ratio(f, "flood_put_growth", "flood_put_full_us", "flood_put_1k_us");
        pingsUnderFlood(f, "flood_put", items, seconds, rate, true);

        NodeCore few = core();
        fillPeers(few, 1_000);
        f.put("flood_announce_1k_peers_us", announceCostMicros(few));
        few = null;
        NodeCore peers = core();
        long heapBefore = usedHeap();
        fillPeers(peers, FULL_PEERS);
        long heapAfter = usedHeap();
        f.put("flood_announce_100k_peers_us", announceCostMicros(peers));
        PeerStore store = peers.peerStore();
        f.put("flood_peers_stored", store.peerCount());
        f.put("flood_peer_store_estimated_bytes", store.bytes());
        f.put("flood_peer_store_heap_bytes_per_peer", (double) (heapAfter - heapBefore) / store.peerCount());
        ratio(f, "flood_announce_growth", "flood_announce_100k_peers_us", "flood_announce_1k_peers_us");
        pingsUnderFlood(f, "flood_announce", peers, seconds, rate, false);
    }

    /** A node with the default stores but no per-IP rate limits (see the class comment). */
    private NodeCore core() {
        DhtConfig config = DhtConfig.builder().bootstrap(List.of()).maxPutsPerIpPerMinute(1_000_000_000).build();
        ServerLimits d = ServerLimits.DEFAULT;
        ServerLimits limits = new ServerLimits(d.maxPeersPerInfoHash(), d.maxInfoHashes(), d.maxPeersPerIpPerInfoHash(),
                d.maxPeerBytes(), 1_000_000_000);
        return new NodeCore(NodeId.random(random), config, UdpTransport::clock, new Random(1),
                (datagram, to) -> sink.get().send(datagram, to), null, limits);
    }

    // ---- sans-IO costs ------------------------------------------------------------------------------

    private byte[] query(Query q) {
        byte[] t = {(byte) (tid >>> 8), (byte) tid++};
        return KrpcCodec.encode(new KrpcQuery(t, NodeId.random(random), q, false, null));
    }

    /** The token {@code from} would get with a get_peers. */
    private byte[] token(NodeCore core, InetSocketAddress from) throws Exception {
        captured.clear();
        sink.set((d, to) -> {
            if (to.equals(from)) {
                captured.add(d);
            }
        });
        byte[] q = query(new Query.GetPeers(NodeId.random(random), Want.UNSPECIFIED));
        core.handleDatagram(q, q.length, from);
        sink.set((d, to) -> { });
        for (byte[] d : captured) {
            if (KrpcCodec.decode(d) instanceof KrpcResponse r && r.token() != null) {
                return r.token();
            }
        }
        throw new IllegalStateException("no token");
    }

    private static InetSocketAddress host(int n) throws Exception {
        return new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, (byte) (n >>> 16), (byte) (n >>> 8),
                (byte) n}), 6881);
    }

    private int itemCounter;

    private byte[] putQuery(byte[] token) {
        byte[] v = Bencode.encode(Bencode.bytes("flood item " + itemCounter++));
        return query(new Query.Put(token, v, null, null, null, null, null));
    }

    private void fillItems(NodeCore core, int count) throws Exception {
        InetSocketAddress from = host(1);
        byte[] token = token(core, from);
        while (core.itemStore().count() < count) {
            byte[] q = putQuery(token);
            core.handleDatagram(q, q.length, from);
        }
    }

    private double putCostMicros(NodeCore core) throws Exception {
        InetSocketAddress from = host(2);
        byte[] token = token(core, from);
        return costMicros(core, from, () -> putQuery(token));
    }

    /** Node time per datagram: median over 7 batches of 1,000 fresh datagrams from {@code from}. */
    private static double costMicros(NodeCore core, InetSocketAddress from, Supplier<byte[]> datagrams) {
        double[] perBatch = new double[7];
        for (int b = 0; b < perBatch.length; b++) {
            byte[][] batch = new byte[BATCH][];
            for (int i = 0; i < BATCH; i++) {
                batch[i] = datagrams.get();
            }
            long t0 = CPU.getCurrentThreadCpuTime();
            for (byte[] q : batch) {
                core.handleDatagram(q, q.length, from);
            }
            perBatch[b] = (CPU.getCurrentThreadCpuTime() - t0) / 1_000.0 / BATCH;
        }
        return median(perBatch);
    }

    private void fillPeers(NodeCore core, int count) throws Exception {
        // 20 peers in each swarm, from distinct hosts; the default store then holds 5,000 swarms.
        int n = core.peerStore().peerCount();
        while (core.peerStore().peerCount() < count) {
            InetSocketAddress from = host(n);
            byte[] q = query(new Query.AnnouncePeer(swarm(n / 20), 6881, token(core, from), false));
            int before = core.peerStore().peerCount();
            core.handleDatagram(q, q.length, from);
            if (core.peerStore().peerCount() != before + 1) {
                throw new IllegalStateException("the store refused peer " + n + " while filling");
            }
            n++;
        }
    }

    private static NodeId swarm(int n) {
        byte[] id = new byte[20];
        id[0] = (byte) (n >>> 16);
        id[1] = (byte) (n >>> 8);
        id[2] = (byte) n;
        id[19] = 1;
        return NodeId.of(id);
    }

    /** Announces for new info-hashes (the case that used to walk the whole store). */
    private double announceCostMicros(NodeCore core) throws Exception {
        InetSocketAddress from = host(9_999_999);
        byte[] token = token(core, from);
        return costMicros(core, from, () -> query(new Query.AnnouncePeer(NodeId.random(random), 6881, token, false)));
    }

    // ---- pings under a UDP flood --------------------------------------------------------------------

    /**
     * Serves {@code core} on a UDP socket; one thread floods it at {@code rate} datagrams/s (puts or
     * announces) from one socket while another pings it every 5 ms from another and times the answers.
     */
    private void pingsUnderFlood(Fragment f, String prefix, NodeCore core, int seconds, int rate, boolean puts)
            throws Exception {
        UdpTransport udp = UdpTransport.open(new InetSocketAddress("127.0.0.1", 0));
        sink.set(udp::send);
        udp.start(core, "dht-loop-flood");
        InetSocketAddress node = udp.localAddress();
        try (DatagramSocket attacker = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket pinger = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            attacker.setSoTimeout(2_000);
            byte[] token = udpToken(attacker, node);
            AtomicBoolean flooding = new AtomicBoolean(true);
            long[] sentCount = {0};
            Thread flood = new Thread(() -> {
                long start = System.nanoTime();
                try {
                    long skipped = 0;
                    while (flooding.get()) {
                        long due = (System.nanoTime() - start) * rate / 1_000_000_000L - skipped;
                        if (due - sentCount[0] > rate / 10) {
                            // Starved of CPU: do not make up for it in one burst (the rate is a rate).
                            skipped += due - sentCount[0] - rate / 10;
                            due = sentCount[0] + rate / 10;
                        }
                        while (sentCount[0] < due && flooding.get()) {
                            byte[] q = puts ? putQuery(token)
                                    : query(new Query.AnnouncePeer(NodeId.random(random), 6881, token, false));
                            attacker.send(new DatagramPacket(q, q.length, node));
                            sentCount[0]++;
                        }
                        Thread.sleep(1);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "flood");
            flood.setDaemon(true);
            flood.start();
            List<Long> rtts = new ArrayList<>();
            int lost = 0;
            pinger.setSoTimeout(1_000);
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            byte[] buf = new byte[1500];
            int pingTid = 0;
            while (System.nanoTime() < end) {
                byte[] t = {(byte) 0xFE, (byte) pingTid++};
                byte[] q = KrpcCodec.encode(new KrpcQuery(t, NodeId.random(random), new Query.Ping(), false, null));
                long t0 = System.nanoTime();
                pinger.send(new DatagramPacket(q, q.length, node));
                boolean answered = false;
                try {
                    while (!answered) {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        pinger.receive(p);
                        answered = KrpcCodec.decode(Arrays.copyOf(p.getData(), p.getLength())) instanceof KrpcResponse r
                                && Arrays.equals(r.transactionId(), t);
                    }
                    rtts.add(System.nanoTime() - t0);
                } catch (SocketTimeoutException e) {
                    lost++;
                }
                Thread.sleep(5);
            }
            flooding.set(false);
            flood.join(5_000);
            long[] sorted = rtts.stream().mapToLong(Long::longValue).sorted().toArray();
            f.put(prefix + "_ping_p50_ms", Fragment.percentile(sorted, 50) / 1e6);
            f.put(prefix + "_ping_p99_ms", Fragment.percentile(sorted, 99) / 1e6);
            f.put(prefix + "_ping_max_ms", sorted.length == 0 ? null : sorted[sorted.length - 1] / 1e6);
            f.put(prefix + "_pings", rtts.size() + lost);
            f.put(prefix + "_pings_lost", lost);
            f.put(prefix + "_flood_sent", sentCount[0]);
        } finally {
            udp.close();
            sink.set((d, to) -> { });
        }
    }

    private byte[] udpToken(DatagramSocket socket, InetSocketAddress node) throws Exception {
        byte[] q = query(new Query.GetPeers(NodeId.random(random), Want.UNSPECIFIED));
        socket.send(new DatagramPacket(q, q.length, node));
        byte[] buf = new byte[1500];
        while (true) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            socket.receive(p);
            if (KrpcCodec.decode(Arrays.copyOf(p.getData(), p.getLength())) instanceof KrpcResponse r
                    && r.token() != null) {
                return r.token();
            }
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static void ratio(Fragment f, String key, String num, String den) {
        if (f.values().get(num) instanceof Double a && f.values().get(den) instanceof Double b && b > 0) {
            f.put(key, a / b);
        }
    }

    /** {@return the used heap after three GCs} */
    public static long usedHeap() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
