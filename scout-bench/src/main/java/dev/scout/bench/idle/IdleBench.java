package dev.scout.bench.idle;

import dev.scout.bench.Fragment;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.udp.DhtNode;
import dev.scout.dht.udp.LoopbackTestnet;
import dev.scout.node.InMemoryStore;
import dev.scout.node.ScoutNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an idle daemon costs the network (issue 20's budget): a real {@link ScoutNode} with default
 * options and N contacts, none of them online, on a loopback testnet of its own. Every datagram the
 * node sends arrives at a testnet node (nothing else is up), so a filter on each testnet node counts
 * them exactly, by the sender's port, and sorts them by kind (KRPC query name, answers, others). The
 * window is {@code --from}..{@code --to} seconds after the node started; the runs for the different
 * contact counts go in parallel, each on its own testnet.
 *
 * <pre>java -cp benchmarks.jar dev.scout.bench.idle.IdleBench --contacts 0,20,100 --from 30 --to 150 --out idle.txt</pre>
 */
public final class IdleBench {
    private static final Pattern QUERY = Pattern.compile("1:q(\\d{1,2}):");

    private IdleBench() {
    }

    /** Counts one node's datagrams as the testnet receives them. */
    static final class Counter {
        final int port;
        final LongAdder packets = new LongAdder();
        final LongAdder bytes = new LongAdder();
        final Map<String, LongAdder> kinds = new ConcurrentHashMap<>();

        Counter(int port) {
            this.port = port;
        }

        void count(byte[] b, int len) {
            packets.increment();
            bytes.add(len);
            kinds.computeIfAbsent(kindOf(b, len), k -> new LongAdder()).increment();
        }

        Snapshot snapshot() {
            Map<String, Long> k = new TreeMap<>();
            kinds.forEach((name, n) -> k.put(name, n.sum()));
            return new Snapshot(packets.sum(), bytes.sum(), k);
        }
    }

    record Snapshot(long packets, long bytes, Map<String, Long> kinds) {
        Snapshot minus(Snapshot o) {
            Map<String, Long> k = new TreeMap<>();
            kinds.forEach((name, n) -> k.put(name, n - o.kinds.getOrDefault(name, 0L)));
            return new Snapshot(packets - o.packets, bytes - o.bytes, k);
        }
    }

    static String kindOf(byte[] b, int len) {
        if (len == 0) {
            return "empty";
        }
        if (b[0] != 'd') {
            return String.format("0x%02X", b[0] & 0xFF);
        }
        String s = new String(b, 0, len, StandardCharsets.ISO_8859_1);
        if (s.contains("1:y1:r")) {
            return "answer";
        }
        if (s.contains("1:y1:e")) {
            return "error";
        }
        Matcher m = QUERY.matcher(s);
        if (m.find()) {
            int n = Integer.parseInt(m.group(1));
            int at = m.end();
            return at + n <= s.length() ? s.substring(at, at + n) : "query";
        }
        return "krpc";
    }

    /**
     * One run: a testnet, a node with {@code contacts} contacts and the daemon's relay defaults (on loopback
     * it is public, so it relays and announces itself), counted from start to {@code toSeconds}.
     */
    static Snapshot[] run(int contacts, int testnetNodes, int fromSeconds, int toSeconds) throws Exception {
        try (LoopbackTestnet testnet = LoopbackTestnet.start(testnetNodes)) {
            Counter[] counter = new Counter[1];
            for (DhtNode n : testnet.nodes()) {
                n.setDatagramFilter((b, len, from) -> {
                    Counter c = counter[0];
                    if (c != null && from.getPort() == c.port) {
                        c.count(b, len);
                    }
                    return false; // counted, then handled as usual
                });
            }
            long t0 = System.nanoTime();
            // A daemon restarting with its contacts: they are in its store before it starts.
            InMemoryStore store = new InMemoryStore(Ed25519KeyPair.generate());
            for (int i = 0; i < contacts; i++) {
                store.addContact("c" + i, Ed25519KeyPair.generate().publicKey());
            }
            int port;
            try (java.net.DatagramSocket probe = new java.net.DatagramSocket(0, java.net.InetAddress.getByName(LoopbackTestnet.HOST))) {
                port = probe.getLocalPort(); // counted from the first datagram on: the node binds this port
            }
            counter[0] = new Counter(port);
            try (ScoutNode node = ScoutNode.builder().store(store).dht(testnet.nodeConfig().port(port).build())
                    .relay(dev.scout.node.RelayOptions.DEFAULT).start()) {
                sleepUntil(t0, fromSeconds);
                Snapshot from = counter[0].snapshot();
                sleepUntil(t0, toSeconds);
                Snapshot to = counter[0].snapshot();
                return new Snapshot[] {from, to};
            }
        }
    }

    private static void sleepUntil(long t0, int seconds) throws InterruptedException {
        long left = t0 + Duration.ofSeconds(seconds).toNanos() - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = Fragment.args(argv);
        int from = Integer.parseInt(a.getOrDefault("from", "30"));
        int to = Integer.parseInt(a.getOrDefault("to", "150"));
        int nodes = Integer.parseInt(a.getOrDefault("nodes", "30"));
        List<Integer> counts = new ArrayList<>();
        for (String c : a.getOrDefault("contacts", "0,20,100").split(",")) {
            counts.add(Integer.parseInt(c.trim()));
        }
        Path out = Path.of(a.getOrDefault("out", "bench/results/parts/idle.txt"));
        List<java.util.concurrent.CompletableFuture<Snapshot[]>> runs = new ArrayList<>();
        for (int c : counts) {
            runs.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return run(c, nodes, from, to);
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }));
        }
        Fragment f = new Fragment();
        f.put("idle_window_s", from + "-" + to);
        f.put("idle_testnet_nodes", nodes);
        double seconds = to - from;
        for (int i = 0; i < counts.size(); i++) {
            Snapshot[] s = runs.get(i).get();
            Snapshot w = s[1].minus(s[0]);
            int c = counts.get(i);
            String p = "idle_" + c + "_contacts_";
            f.put(p + "packets", w.packets());
            f.put(p + "packets_per_s", w.packets() / seconds);
            f.put(p + "bytes_per_s", w.bytes() / seconds);
            f.put(p + "startup_packets", s[0].packets());
            StringBuilder kinds = new StringBuilder();
            w.kinds().forEach((k, n) -> {
                if (n > 0) {
                    kinds.append(kinds.isEmpty() ? "" : " ").append(k).append(':').append(n);
                }
            });
            f.put(p + "by_kind", kinds.toString());
            System.out.printf("[idle] %3d contacts: %5d packets sent in %d-%d s (%.2f/s, %.0f B/s); first %d s: %d packets; %s%n",
                    c, w.packets(), from, to, w.packets() / seconds, w.bytes() / seconds, from, s[0].packets(), kinds);
        }
        f.write(out);
    }
}
