package dev.scout.bench.session;

import dev.scout.bench.Fragment;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.session.Session;
import dev.scout.session.SessionConfig;
import dev.scout.session.SessionEndpoint;
import dev.scout.session.SessionStream;
import dev.scout.session.UdpLink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Direct sessions on loopback, side by side in one run with what they are built from and compete
 * with: connect time (Noise IK handshake over UDP) against a TCP connect, and stream throughput
 * against a plain TCP socket copy and a raw UDP echo (1200-byte datagrams, 64 in flight).
 *
 * <pre>java -cp benchmarks.jar dev.scout.bench.session.SessionBench --connects 50 --mb 64 --out parts/session.txt</pre>
 */
public final class SessionBench {
    private static final int CHUNK = 64 * 1024;

    private SessionBench() {
    }

    public static void main(String[] args) throws Exception {
        int connects = 50;
        int mb = 64;
        Path out = Path.of("session.txt");
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--connects" -> connects = Integer.parseInt(args[i + 1]);
                case "--mb" -> mb = Integer.parseInt(args[i + 1]);
                case "--out" -> out = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Ed25519KeyPair alice = Ed25519KeyPair.generate();
        Ed25519KeyPair bob = Ed25519KeyPair.generate();
        Fragment f = new Fragment();
        try (UdpLink la = UdpLink.start(new InetSocketAddress("127.0.0.1", 0));
                UdpLink lb = UdpLink.start(new InetSocketAddress("127.0.0.1", 0))) {
            SessionEndpoint a = SessionEndpoint.start(alice, la, k -> k.equals(bob.publicKey()), SessionConfig.defaults());
            SessionEndpoint b = SessionEndpoint.start(bob, lb, k -> k.equals(alice.publicKey()), SessionConfig.defaults());
            LinkedBlockingQueue<Session> incoming = new LinkedBlockingQueue<>();
            b.onSession(incoming::add);
            // warm-up: class loading and JIT of the handshake path
            for (int i = 0; i < 20; i++) {
                a.connect(bob.publicKey(), List.of(lb.localAddress())).get(10, TimeUnit.SECONDS).close();
                incoming.take();
            }
            double[] session = new double[connects];
            for (int i = 0; i < connects; i++) {
                long t0 = System.nanoTime();
                Session s = a.connect(bob.publicKey(), List.of(lb.localAddress())).get(10, TimeUnit.SECONDS);
                session[i] = (System.nanoTime() - t0) / 1e6;
                incoming.take();
                s.close();
            }
            double[] tcp = tcpConnects(connects);
            put(f, "session_connect", session);
            put(f, "tcp_connect", tcp);

            long bytes = (long) mb << 20;
            Session s = a.connect(bob.publicKey(), List.of(lb.localAddress())).get(10, TimeUnit.SECONDS);
            Session peer = incoming.take();
            sessionCopy(s, peer, Math.min(bytes, 16L << 20)); // warm-up
            double sessionMbps = sessionCopy(s, peer, bytes);
            s.close();
            tcpCopy(Math.min(bytes, 16L << 20));
            double tcpMbps = tcpCopy(bytes);
            double udpMbps = udpEcho(bytes);
            f.put("session_stream_mb_per_s", sessionMbps).put("tcp_stream_mb_per_s", tcpMbps)
                    .put("udp_echo_mb_per_s", udpMbps).put("session_stream_vs_tcp", sessionMbps / tcpMbps)
                    .put("session_stream_vs_udp_echo", sessionMbps / udpMbps).put("session_stream_mb", mb);
            a.close();
            b.close();
        }
        f.write(out);
        for (var e : f.values().entrySet()) {
            System.out.println("[session] " + e.getKey() + " = " + e.getValue());
        }
    }

    static void put(Fragment f, String name, double[] ms) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        f.put(name + "_p50_ms", sorted[sorted.length / 2]);
        f.put(name + "_p99_ms", sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)]);
        f.put(name + "_count", sorted.length);
    }

    private static double[] tcpConnects(int n) throws IOException {
        double[] ms = new double[n];
        try (ServerSocket server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < 20 + n; i++) {
                long t0 = System.nanoTime();
                try (Socket c = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                        Socket accepted = server.accept()) {
                    if (i >= 20) {
                        ms[i - 20] = (System.nanoTime() - t0) / 1e6;
                    }
                }
            }
        }
        return ms;
    }

    /** MB/s of one stream from {@code from} to {@code to}, until the reader saw the end. */
    public static double sessionCopy(Session from, Session to, long bytes) throws Exception {
        SessionStream out = from.openStream();
        CompletableFuture<SessionStream> in = to.acceptStream();
        long t0 = System.nanoTime();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(out.output(), bytes));
        long n = drain(in.get(10, TimeUnit.SECONDS).input());
        double seconds = (System.nanoTime() - t0) / 1e9;
        writer.get(60, TimeUnit.SECONDS);
        if (n != bytes) {
            throw new IllegalStateException("session stream delivered " + n + " of " + bytes + " bytes");
        }
        return bytes / seconds / (1 << 20);
    }

    private static double tcpCopy(long bytes) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long t0 = System.nanoTime();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try (Socket c = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                    write(c.getOutputStream(), bytes);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            long n;
            try (Socket s = server.accept()) {
                n = drain(s.getInputStream());
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            writer.get(60, TimeUnit.SECONDS);
            if (n != bytes) {
                throw new IllegalStateException("TCP delivered " + n + " of " + bytes + " bytes");
            }
            return bytes / seconds / (1 << 20);
        }
    }

    /** Raw UDP: 1200-byte datagrams to an echo thread, 64 in flight; MB/s of echoed payload. */
    private static double udpEcho(long bytes) throws Exception {
        try (DatagramSocket echo = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[2048];
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    while (true) {
                        p.setLength(buf.length);
                        echo.receive(p);
                        echo.send(p);
                    }
                } catch (IOException closed) {
                    // socket closed: done
                }
            }, "udp-echo");
            t.setDaemon(true);
            t.start();
            client.setSoTimeout(200);
            byte[] payload = new byte[1200];
            DatagramPacket send = new DatagramPacket(payload, payload.length, echo.getLocalSocketAddress());
            DatagramPacket recv = new DatagramPacket(new byte[2048], 2048);
            long packets = bytes / payload.length;
            long sent = 0;
            long got = 0;
            long t0 = System.nanoTime();
            while (got < packets) {
                while (sent < packets && sent - got < 64) {
                    client.send(send);
                    sent++;
                }
                try {
                    client.receive(recv);
                    got++;
                } catch (java.net.SocketTimeoutException lost) {
                    got = sent; // a lost datagram: count the window as done and go on (loopback rarely drops)
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return got * payload.length / seconds / (1 << 20);
        }
    }

    private static void write(OutputStream out, long bytes) {
        byte[] buf = new byte[CHUNK];
        try (out) {
            for (long left = bytes; left > 0; left -= buf.length) {
                out.write(buf, 0, (int) Math.min(buf.length, left));
            }
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private static long drain(InputStream in) throws IOException {
        byte[] buf = new byte[CHUNK];
        long n = 0;
        int k;
        while ((k = in.read(buf)) >= 0) {
            n += k;
        }
        return n;
    }

    static String fmt(double d) {
        return String.format(Locale.ROOT, "%.2f", d);
    }
}
