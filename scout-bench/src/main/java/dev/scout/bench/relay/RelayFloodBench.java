package dev.scout.bench.relay;

import dev.scout.bench.Fragment;
import dev.scout.bench.flood.FloodBench;
import dev.scout.bench.session.SessionBench;
import dev.scout.dht.DatagramFilter;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.session.DatagramLink;
import dev.scout.session.Session;
import dev.scout.session.SessionConfig;
import dev.scout.session.SessionEndpoint;
import dev.scout.session.UdpLink;
import dev.scout.session.relay.RelayLimits;
import dev.scout.session.relay.RelayLink;
import dev.scout.session.relay.RelayRegistration;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A flood of spoofed REGISTERs against a relay (issue 19): what each costs the relay, what it keeps,
 * and what a legitimate relayed session moves meanwhile. On loopback, three endpoints (the relay, bob
 * registered at it, alice connecting through it) and a flooder sending well-formed REGISTERs (random
 * keys, signatures and cookies, 158 bytes) at {@code --rate} per second from 16 sockets that never read
 * the relay's challenges: to the relay that is exactly a flood from forged source addresses. The
 * relay's bandwidth budgets are raised to 1 GiB/s, so its CPU rather than its budget bounds goodput,
 * and its control budget (1/64 of that) lets it answer every REGISTER with a challenge: the worst case.
 *
 * Figures: the relay's handling time and its receiving thread's CPU per datagram during {@code
 * --seconds} of flood alone, the registrations and heap it holds then, and a {@code --mb} stream's
 * goodput through it without and with the flood, three times each in turn (medians and ranges).
 *
 * <pre>java -cp benchmarks.jar dev.scout.bench.relay.RelayFloodBench --rate 10000 --seconds 10 --mb 64 --out parts/relay_flood.txt</pre>
 */
public final class RelayFloodBench {
    private RelayFloodBench() {
    }

    /** Times the relay's handling of each datagram on its receiving thread. */
    private static final class TimedLink implements DatagramLink {
        final DatagramLink inner;
        final AtomicLong datagrams = new AtomicLong();
        final AtomicLong nanos = new AtomicLong();
        volatile long threadId = -1;

        TimedLink(DatagramLink inner) {
            this.inner = inner;
        }

        @Override
        public void send(byte[] datagram, InetSocketAddress to) {
            inner.send(datagram, to);
        }

        @Override
        public void setReceiver(DatagramFilter receiver) {
            inner.setReceiver(receiver == null ? null : (b, len, from) -> {
                threadId = Thread.currentThread().getId();
                long t0 = System.nanoTime();
                boolean claimed = receiver.claim(b, len, from);
                nanos.addAndGet(System.nanoTime() - t0);
                datagrams.incrementAndGet();
                return claimed;
            });
        }

        @Override
        public InetSocketAddress localAddress() {
            return inner.localAddress();
        }
    }

    public static void main(String[] args) throws Exception {
        int rate = 10_000;
        int seconds = 10;
        int mb = 64;
        Path out = Path.of("relay_flood.txt");
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--rate" -> rate = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--mb" -> mb = Integer.parseInt(args[i + 1]);
                case "--out" -> out = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Ed25519KeyPair alice = Ed25519KeyPair.generate();
        Ed25519KeyPair bob = Ed25519KeyPair.generate();
        RelayLimits limits = new RelayLimits(64, 8, 16, 1_024, 1L << 30, 1L << 30, Duration.ofSeconds(30), Duration.ofSeconds(60));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Fragment f = new Fragment();
        try (UdpLink relayUdp = UdpLink.start(new InetSocketAddress("127.0.0.1", 0));
                UdpLink aliceUdp = UdpLink.start(new InetSocketAddress("127.0.0.1", 0));
                UdpLink bobUdp = UdpLink.start(new InetSocketAddress("127.0.0.1", 0))) {
            TimedLink timed = new TimedLink(relayUdp);
            RelayLink relay = RelayLink.over(timed);
            relay.serve(limits);
            RelayLink aliceLink = RelayLink.over(aliceUdp);
            RelayLink bobLink = RelayLink.over(bobUdp);
            SessionEndpoint a = SessionEndpoint.start(alice, aliceLink, k -> k.equals(bob.publicKey()), SessionConfig.defaults());
            SessionEndpoint b = SessionEndpoint.start(bob, bobLink, k -> k.equals(alice.publicKey()), SessionConfig.defaults());
            LinkedBlockingQueue<Session> incoming = new LinkedBlockingQueue<>();
            b.onSession(incoming::add);
            RelayRegistration reg = bobLink.registerAt(relay.localAddress(), bob);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!reg.registered()) {
                if (System.nanoTime() > until) {
                    throw new IllegalStateException("bob did not register at the relay within 10 s");
                }
                Thread.sleep(10);
            }
            InetSocketAddress route = aliceLink.route(relay.localAddress(), reg.tag());
            Session s = a.connect(bob.publicKey(), List.of(route)).get(10, TimeUnit.SECONDS);
            Session peer = incoming.take();
            long bytes = (long) mb << 20;
            SessionBench.sessionCopy(s, peer, Math.min(bytes, 16L << 20)); // warm-up
            long heapBefore = FloodBench.usedHeap();

            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong sent = new AtomicLong();
            int perSecond = rate;
            Thread flooder = new Thread(() -> flood(relay.localAddress(), perSecond, stop, sent), "register-flood");
            flooder.start();
            Thread.sleep(1_000); // the flood reaches its rate; the relay's handling is compiled
            // Flood only: what each REGISTER costs the relay.
            long d0 = timed.datagrams.get();
            long n0 = timed.nanos.get();
            long cpu0 = threads.getThreadCpuTime(timed.threadId);
            long c0 = relay.relayStats().orElseThrow().controlBytes();
            long s0 = sent.get();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1_000L);
            double floodSeconds = (System.nanoTime() - t0) / 1e9;
            long handled = timed.datagrams.get() - d0;
            double handlerNs = (timed.nanos.get() - n0) / (double) Math.max(1, handled);
            double threadNs = (threads.getThreadCpuTime(timed.threadId) - cpu0) / (double) Math.max(1, handled);
            long controlBytes = relay.relayStats().orElseThrow().controlBytes() - c0;
            long floodSent = sent.get() - s0;
            boolean stillRegistered = reg.registered();
            long clientsDuring = relay.relayStats().orElseThrow().clients();
            long heapDuring = FloodBench.usedHeap();
            stop.set(true);
            flooder.join();
            // Then the relayed session's goodput, without and with the flood in turn (3 each; medians):
            // the machine's other load varies more than the flood's effect otherwise.
            double[] quiet = new double[3];
            double[] flooded = new double[3];
            for (int i = 0; i < 3; i++) {
                quiet[i] = SessionBench.sessionCopy(s, peer, bytes);
                AtomicBoolean again = new AtomicBoolean();
                Thread during = new Thread(() -> flood(relay.localAddress(), perSecond, again, new AtomicLong()), "register-flood");
                during.start();
                Thread.sleep(200);
                flooded[i] = SessionBench.sessionCopy(s, peer, bytes);
                again.set(true);
                during.join();
            }
            java.util.Arrays.sort(quiet);
            java.util.Arrays.sort(flooded);

            f.put("relay_flood_rate_per_s", floodSent / floodSeconds)
                    .put("relay_flood_registers_sent", floodSent)
                    .put("relay_flood_datagrams_handled", handled)
                    .put("relay_flood_handler_us_per_datagram", handlerNs / 1e3)
                    .put("relay_flood_thread_cpu_us_per_datagram", threadNs / 1e3)
                    .put("relay_flood_challenge_bytes_per_register", controlBytes / (double) Math.max(1, floodSent))
                    .put("relay_flood_clients_held", clientsDuring)
                    .put("relay_flood_heap_delta_kib", (heapDuring - heapBefore) / 1024.0)
                    .put("relay_flood_legit_client_registered", stillRegistered ? 1 : 0)
                    .put("relayed_goodput_quiet_mb_per_s", quiet[1])
                    .put("relayed_goodput_flood_mb_per_s", flooded[1])
                    .put("relayed_goodput_flood_vs_quiet", flooded[1] / quiet[1])
                    .put("relayed_goodput_quiet_range", String.format(java.util.Locale.ROOT, "%.1f-%.1f", quiet[0], quiet[2]))
                    .put("relayed_goodput_flood_range", String.format(java.util.Locale.ROOT, "%.1f-%.1f", flooded[0], flooded[2]))
                    .put("relayed_goodput_mb", mb);
            s.close();
            a.close();
            b.close();
            reg.close();
        }
        f.write(out);
        for (var e : f.values().entrySet()) {
            System.out.println("[relay_flood] " + e.getKey() + " = " + e.getValue());
        }
    }

    /** Well-formed REGISTERs with random content at {@code rate} per second, from 16 sockets that never read. */
    private static void flood(InetSocketAddress relay, int rate, AtomicBoolean stop, AtomicLong sent) {
        Random random = new Random(19);
        DatagramChannel[] sockets = new DatagramChannel[16];
        try {
            for (int i = 0; i < sockets.length; i++) {
                sockets[i] = DatagramChannel.open();
                sockets[i].bind(new InetSocketAddress("127.0.0.1", 0));
            }
            byte[] register = new byte[158];
            long start = System.nanoTime();
            long n = 0;
            while (!stop.get()) {
                long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
                while (n < due && !stop.get()) {
                    random.nextBytes(register);
                    register[0] = (byte) 0xF5;
                    register[1] = 1;
                    sockets[(int) (n % sockets.length)].send(ByteBuffer.wrap(register), relay);
                    n++;
                }
                sent.set(n);
                Thread.sleep(1);
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        } finally {
            for (DatagramChannel c : sockets) {
                try {
                    if (c != null) {
                        c.close();
                    }
                } catch (IOException ignored) {
                    // closing: nothing to do
                }
            }
        }
    }
}
