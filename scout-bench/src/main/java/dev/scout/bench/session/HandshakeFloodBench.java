package dev.scout.bench.session;

import dev.scout.bench.Fragment;
import dev.scout.dht.DatagramFilter;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.session.DatagramLink;
import dev.scout.session.Session;
import dev.scout.session.SessionConfig;
import dev.scout.session.SessionEndpoint;
import dev.scout.session.UdpLink;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A hostile stranger (issue 19): a flood of handshake initiations at a fixed rate (10,000/s) from 256
 * sources on loopback (64 addresses in 127.0.2.0/24, 4 ports each, as spoofed packets would look),
 * against an endpoint (Bob) that holds a live session with a contact (Carol). The initiations are
 * real ones — Noise IK to Bob's key, valid mac1 — made by 256 strangers Bob does not accept, i.e. the
 * most expensive kind for him. The flood never answers Bob's cookie replies (a spoofer cannot).
 *
 * <p>Without and then during the flood: Bob's loop-thread CPU while the live session idles, the live
 * session's goodput (one stream, Carol to Bob), and the latency of a contact's (Alice's) connects.
 *
 * <pre>java -cp benchmarks.jar dev.scout.bench.session.HandshakeFloodBench --rate 10000 --seconds 5 --mb 64 --out parts/handshake_flood.txt</pre>
 */
public final class HandshakeFloodBench {
    private static final int SOURCES = 256;

    private HandshakeFloodBench() {
    }

    public static void main(String[] args) throws Exception {
        int rate = 10_000;
        int seconds = 5;
        int mb = 64;
        int connects = 20;
        Path out = Path.of("handshake_flood.txt");
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--rate" -> rate = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--mb" -> mb = Integer.parseInt(args[i + 1]);
                case "--connects" -> connects = Integer.parseInt(args[i + 1]);
                case "--out" -> out = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Ed25519KeyPair alice = Ed25519KeyPair.generate();
        Ed25519KeyPair bob = Ed25519KeyPair.generate();
        Ed25519KeyPair carol = Ed25519KeyPair.generate();
        Fragment f = new Fragment().put("handshake_flood_rate_per_s", rate).put("handshake_flood_sources", SOURCES);
        SessionConfig config = SessionConfig.defaults();
        try (UdpLink la = UdpLink.start(new InetSocketAddress("127.0.0.1", 0));
                UdpLink lb = UdpLink.start(new InetSocketAddress("127.0.0.1", 0));
                UdpLink lc = UdpLink.start(new InetSocketAddress("127.0.0.1", 0))) {
            SessionEndpoint b = SessionEndpoint.start(bob, lb,
                    k -> k.equals(alice.publicKey()) || k.equals(carol.publicKey()), config);
            Thread bobLoop = newestThread("session-loop-");
            SessionEndpoint a = SessionEndpoint.start(alice, la, k -> k.equals(bob.publicKey()), config);
            SessionEndpoint c = SessionEndpoint.start(carol, lc, k -> k.equals(bob.publicKey()), config);
            LinkedBlockingQueue<Session> incoming = new LinkedBlockingQueue<>();
            b.onSession(incoming::add);
            List<byte[]> initiations = strangersInitiations(bob, lb.localAddress(), config);
            for (int i = 0; i < 20; i++) { // warm-up: class loading and JIT of the handshake path
                a.connect(bob.publicKey(), List.of(lb.localAddress())).get(10, TimeUnit.SECONDS).close();
                incoming.take();
            }
            Session live = c.connect(bob.publicKey(), List.of(lb.localAddress())).get(10, TimeUnit.SECONDS);
            Session liveAtBob = incoming.take();
            long bytes = (long) mb << 20;
            SessionBench.sessionCopy(live, liveAtBob, Math.min(bytes, 16L << 20)); // warm-up
            measure(f, "quiet", bobLoop, a, b, live, liveAtBob, incoming, bob, lb.localAddress(), seconds, bytes, connects);
            try (Flood flood = new Flood(initiations, lb.localAddress(), rate)) {
                measure(f, "flood", bobLoop, a, b, live, liveAtBob, incoming, bob, lb.localAddress(), seconds, bytes,
                        connects);
                f.put("handshake_flood_sent", flood.sent.get()).put("handshake_flood_achieved_per_s", flood.achievedRate())
                        .put("handshake_flood_cookie_replies", flood.replies.get());
            }
            f.put("handshake_flood_live_session_open", !live.closed().isDone());
            a.close();
            b.close();
            c.close();
        }
        f.write(out);
        for (var e : f.values().entrySet()) {
            System.out.println("[handshake_flood] " + e.getKey() + " = " + e.getValue());
        }
    }

    private static void measure(Fragment f, String phase, Thread bobLoop, SessionEndpoint a, SessionEndpoint b,
                                Session live, Session liveAtBob, LinkedBlockingQueue<Session> incoming,
                                Ed25519KeyPair bob, InetSocketAddress bobAddress, int seconds, long bytes,
                                int connects) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long cpu0 = mx.getThreadCpuTime(bobLoop.getId());
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L); // the measured window itself: the live session idles with keep-alives
        double loopCpu = (mx.getThreadCpuTime(bobLoop.getId()) - cpu0) / (double) (System.nanoTime() - t0);
        double goodput;
        try {
            goodput = SessionBench.sessionCopy(live, liveAtBob, bytes);
        } catch (Exception | AssertionError e) { // a starved loop: the live session timed out or stalled
            System.out.println("[handshake_flood] " + phase + ": live session copy failed: " + e);
            goodput = 0;
        }
        List<Double> ms = new ArrayList<>();
        int failed = 0;
        for (int i = 0; i < connects; i++) {
            long c0 = System.nanoTime();
            try {
                Session s = a.connect(bob.publicKey(), List.of(bobAddress)).get(15, TimeUnit.SECONDS);
                ms.add((System.nanoTime() - c0) / 1e6);
                Session atBob = incoming.poll(15, TimeUnit.SECONDS);
                if (atBob != null) {
                    atBob.close();
                }
                s.close();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                failed++;
            }
        }
        String p = "handshake_flood_" + phase + "_";
        f.put(p + "loop_cpu_percent", 100 * loopCpu).put(p + "live_goodput_mb_per_s", goodput)
                .put(p + "contact_connect_failed", failed);
        if (!ms.isEmpty()) {
            SessionBench.put(f, p + "contact_connect", ms.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }

    /** The newest thread whose name starts with {@code prefix} (the endpoint just opened). */
    private static Thread newestThread(String prefix) {
        Thread newest = null;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix) && (newest == null || t.getId() > newest.getId())) {
                newest = t;
            }
        }
        if (newest == null) {
            throw new IllegalStateException("no thread " + prefix + "*");
        }
        return newest;
    }

    /**
     * Real initiations of {@value #SOURCES} strangers to Bob: each stranger's endpoint tries to connect
     * through a link that keeps the first datagram instead of sending it.
     */
    private static List<byte[]> strangersInitiations(Ed25519KeyPair bob, InetSocketAddress bobAddress, SessionConfig config)
            throws Exception {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < SOURCES; i++) {
            CompletableFuture<byte[]> first = new CompletableFuture<>();
            DatagramLink capture = new DatagramLink() {
                @Override
                public void send(byte[] datagram, InetSocketAddress to) {
                    first.complete(datagram.clone());
                }

                @Override
                public void setReceiver(DatagramFilter receiver) {
                }

                @Override
                public InetSocketAddress localAddress() {
                    return new InetSocketAddress("127.0.0.1", 9);
                }
            };
            try (SessionEndpoint stranger = SessionEndpoint.start(Ed25519KeyPair.generate(), capture, k -> false, config)) {
                stranger.connect(bob.publicKey(), List.of(bobAddress), dev.scout.session.NatType.UNKNOWN,
                        Duration.ofMillis(100));
                out.add(first.get(5, TimeUnit.SECONDS));
            }
        }
        return out;
    }

    /** The flooding thread: {@code rate} initiations a second, round robin over the sources. */
    private static final class Flood implements AutoCloseable {
        final AtomicLong sent = new AtomicLong();
        final AtomicLong replies = new AtomicLong();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final List<DatagramChannel> sockets = new ArrayList<>();
        private final Thread thread;
        private final long started = System.nanoTime();
        private volatile long stopped;

        Flood(List<byte[]> initiations, InetSocketAddress target, int rate) throws Exception {
            for (int i = 0; i < SOURCES; i++) {
                DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
                ch.bind(new InetSocketAddress("127.0.2." + (1 + i % 64), 0));
                ch.configureBlocking(false);
                sockets.add(ch);
            }
            long interval = 1_000_000_000L / rate;
            thread = new Thread(() -> {
                ByteBuffer sink = ByteBuffer.allocate(2048);
                long next = System.nanoTime();
                for (long n = 0; !stop.get(); n++) {
                    int k = (int) (n % SOURCES);
                    try {
                        sockets.get(k).send(ByteBuffer.wrap(initiations.get(k)), target);
                        sent.incrementAndGet();
                        if (n % SOURCES == 0) {
                            for (DatagramChannel ch : sockets) { // count cookie replies, never answer them
                                sink.clear();
                                while (ch.receive(sink) != null) {
                                    replies.incrementAndGet();
                                    sink.clear();
                                }
                            }
                        }
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    next += interval;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
            }, "init-flood");
            thread.setDaemon(true);
            thread.start();
        }

        double achievedRate() {
            long end = stopped == 0 ? System.nanoTime() : stopped;
            return sent.get() / ((end - started) / 1e9);
        }

        @Override
        public void close() throws Exception {
            stop.set(true);
            thread.join();
            stopped = System.nanoTime();
            for (DatagramChannel ch : sockets) {
                ch.close();
            }
        }
    }
}
