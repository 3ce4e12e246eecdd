package dev.scout.session.lab;

import dev.scout.core.crypto.Identity;
import dev.scout.core.crypto.PublicKey;
import dev.scout.dht.DhtConfig;
import dev.scout.dht.DhtNode;
import dev.scout.session.DatagramLink;
import dev.scout.session.NatType;
import dev.scout.session.Session;
import dev.scout.session.SessionConfig;
import dev.scout.session.SessionEndpoint;
import dev.scout.session.SessionStream;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One device in the NAT lab, run by {@link NatLabTest} inside a network namespace: a real DHT node
 * on UDP port P whose socket the session endpoint shares (as the daemon will). Arguments: port,
 * identity seed (hex), bootstrap host:port or "none", "ro" (a read-only DHT node, as a daemon
 * behind NAT runs) or "rw", then the accepted contacts' keys. It prints
 * {@code ready <external address>} once the DHT's BEP 42 votes told it its external address, then
 * runs commands from stdin, each on its own thread, answering with lines prefixed by the command's tag:
 *
 * <pre>
 * nat SYMMETRIC                                   our NAT type, named in connect failures
 * pipe TAG PEERHEX ADDR[,ADDR] PEERNAT BYTES SEED  connect; BYTES &gt; 0: send that many seeded random
 *                                                   bytes on a stream; 0: receive one stream
 *   → TAG connected MS REMOTE | TAG sent N | TAG received N SHA256HEX | TAG failed MS MESSAGE
 * </pre>
 * Incoming sessions print {@code incoming PEERHEX}.
 */
public final class LabPeer {
    private LabPeer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Identity me = Identity.fromSeed(HexFormat.of().parseHex(args[1]));
        String bootstrap = args[2];
        Set<PublicKey> trusted = ConcurrentHashMap.newKeySet();
        boolean readOnly = args[3].equals("ro");
        for (int i = 4; i < args.length; i++) {
            for (String key : args[i].trim().split(" +")) {
                trusted.add(PublicKey.parse(key));
            }
        }
        DhtConfig.Builder config = DhtConfig.builder().bindAddress(new InetSocketAddress("0.0.0.0", port))
                .bootstrap(bootstrap.equals("none") ? List.of() : List.of(bootstrap)).requestTimeoutMillis(2_000).readOnly(readOnly);
        warmUp();
        DhtNode node = DhtNode.start(config.build());
        SessionEndpoint endpoint = SessionEndpoint.open(me, DatagramLink.of(node), trusted::contains, SessionConfig.defaults());
        endpoint.onSession(s -> say("incoming " + s.peer().toHex()));
        String external = "none";
        if (!bootstrap.equals("none")) {
            node.bootstrapped().get(30, TimeUnit.SECONDS);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (node.externalAddress().get().isEmpty() && System.nanoTime() < until) {
                node.ping(parse(bootstrap)).handle((r, e) -> r).get(5, TimeUnit.SECONDS);
            }
            external = node.externalAddress().get().map(a -> a.getAddress().getHostAddress() + ":" + a.getPort())
                    .orElse("unknown");
        }
        say("ready " + external);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split(" ");
            if (w[0].equals("nat")) {
                endpoint.setLocalNatType(NatType.valueOf(w[1]));
            } else if (w[0].equals("pipe")) {
                new Thread(() -> pipe(endpoint, w), "pipe-" + w[1]).start();
            } else if (w[0].equals("quit")) {
                break;
            }
        }
        endpoint.close();
        node.close();
        System.exit(0);
    }

    /**
     * Loads and compiles the handshake code before the test's simultaneous connects, so both
     * sides' first packets leave within the lab's one-way latency of each other.
     */
    private static void warmUp() throws Exception {
        Identity a = Identity.generate();
        Identity b = Identity.generate();
        try (dev.scout.session.UdpLink la = dev.scout.session.UdpLink.open(new InetSocketAddress("127.0.0.1", 0));
                dev.scout.session.UdpLink lb = dev.scout.session.UdpLink.open(new InetSocketAddress("127.0.0.1", 0))) {
            SessionEndpoint ea = SessionEndpoint.open(a, la, k -> true, SessionConfig.defaults());
            SessionEndpoint eb = SessionEndpoint.open(b, lb, k -> true, SessionConfig.defaults());
            eb.onSession(s -> { });
            for (int i = 0; i < 3; i++) {
                ea.connect(b.publicKey(), List.of(lb.localAddress())).get(10, TimeUnit.SECONDS).close();
            }
            ea.close();
            eb.close();
        }
    }

    private static void pipe(SessionEndpoint endpoint, String[] w) {
        String tag = w[1];
        long t0 = System.nanoTime();
        try {
            List<InetSocketAddress> addresses = new ArrayList<>();
            for (String a : w[3].split(",")) {
                addresses.add(parse(a));
            }
            Session s = endpoint.connect(PublicKey.parse(w[2]), addresses, NatType.valueOf(w[4])).get(30, TimeUnit.SECONDS);
            say(tag + " connected " + (System.nanoTime() - t0) / 1_000_000 + " " + s.remoteAddress());
            long bytes = Long.parseLong(w[5]);
            if (bytes > 0) {
                SessionStream stream = s.openStream();
                Random r = new Random(Long.parseLong(w[6]));
                byte[] buf = new byte[64 * 1024];
                try (OutputStream out = stream.output()) {
                    for (long left = bytes; left > 0; left -= buf.length) {
                        r.nextBytes(buf);
                        out.write(buf, 0, (int) Math.min(buf.length, left));
                    }
                }
                s.close();
                say(tag + " sent " + bytes);
            } else {
                SessionStream stream = s.acceptStream().get(30, TimeUnit.SECONDS);
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                long n = 0;
                byte[] buf = new byte[64 * 1024];
                try (InputStream in = stream.input()) {
                    int k;
                    while ((k = in.read(buf)) >= 0) {
                        md.update(buf, 0, k);
                        n += k;
                    }
                }
                say(tag + " received " + n + " " + HexFormat.of().formatHex(md.digest()));
            }
        } catch (Exception e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            say(tag + " failed " + (System.nanoTime() - t0) / 1_000_000 + " " + c.getMessage());
        }
    }

    /** The bytes a pipe of {@code bytes} with {@code seed} sends, as its SHA-256 (for the test). */
    public static String expectedDigest(long bytes, long seed) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        Random r = new Random(seed);
        byte[] buf = new byte[64 * 1024];
        for (long left = bytes; left > 0; left -= buf.length) {
            r.nextBytes(buf);
            md.update(buf, 0, (int) Math.min(buf.length, left));
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static InetSocketAddress parse(String hostPort) {
        int i = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, i), Integer.parseInt(hostPort.substring(i + 1)));
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
