package dev.scout.session.punch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scout.dht.DatagramFilter;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.session.ContactAddressPolicy;
import dev.scout.session.DatagramLink;
import dev.scout.session.NatType;
import dev.scout.session.NoDirectPathException;
import dev.scout.session.Session;
import dev.scout.session.SessionConfig;
import dev.scout.session.SessionEndpoint;
import dev.scout.session.UdpLink;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Birthday punching on loopback: the symmetric side's extra sockets, the cone side's probes, and a
 * cone NAT's filtering simulated by {@link ConeFilter} (a datagram from an address the cone side never
 * sent to is dropped), so a session can only come up through a probed port.
 */
class BirthdayPunchTest {
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    /** A port-restricted cone NAT's inbound filter in front of a link. */
    static final class ConeFilter implements DatagramLink {
        final DatagramLink inner;
        final Set<InetSocketAddress> sentTo = ConcurrentHashMap.newKeySet();
        final AtomicInteger filtered = new AtomicInteger();

        ConeFilter(DatagramLink inner) {
            this.inner = inner;
        }

        @Override
        public void send(byte[] datagram, InetSocketAddress to) {
            sentTo.add(to);
            inner.send(datagram, to);
        }

        @Override
        public void setReceiver(DatagramFilter receiver) {
            inner.setReceiver(receiver == null ? null : (b, len, from) -> {
                if (!sentTo.contains(from)) {
                    filtered.incrementAndGet();
                    return true;
                }
                return receiver.claim(b, len, from);
            });
        }

        @Override
        public InetSocketAddress localAddress() {
            return inner.localAddress();
        }
    }

    private final Ed25519KeyPair aliceId = Ed25519KeyPair.generate();
    private final Ed25519KeyPair bobId = Ed25519KeyPair.generate();
    private BirthdayLink aliceLink;
    private SessionEndpoint alice; // behind the symmetric NAT
    private ConeFilter bobLink;
    private SessionEndpoint bob; // behind the cone NAT
    private final LinkedBlockingQueue<Session> bobIncoming = new LinkedBlockingQueue<>();

    private void start(Duration keptIdle) throws IOException {
        UdpLink a = UdpLink.start(new InetSocketAddress("127.0.0.1", 0));
        toClose.add(a);
        aliceLink = BirthdayLink.over(a, keptIdle);
        toClose.add(aliceLink);
        alice = SessionEndpoint.start(aliceId, aliceLink, k -> k.equals(bobId.publicKey()), SessionConfig.defaults());
        toClose.add(alice);
        UdpLink b = UdpLink.start(new InetSocketAddress("127.0.0.1", 0));
        toClose.add(b);
        bobLink = new ConeFilter(b);
        bob = SessionEndpoint.start(bobId, bobLink, k -> k.equals(aliceId.publicKey()), SessionConfig.defaults());
        bob.onSession(bobIncoming::add);
        toClose.add(bob);
    }

    /** Ports no extra socket of {@code set} is bound to (free ones, bound and released here). */
    static int[] missPorts(int n, Set<Integer> avoid) throws IOException {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                if (avoid.contains(s.getLocalPort())) {
                    i--;
                    continue;
                }
                out[i] = s.getLocalPort();
            }
        }
        return out;
    }

    private static void waitFor(BooleanSupplier c, long millis, String what) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + millis + " ms: " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void aProbeThatHitsAnExtraSocketGivesTheSessionOnThatSocketAndEveryOtherSocketCloses() throws Exception {
        start(BirthdayLink.KEPT_IDLE);
        var f = BirthdayPunch.fromSymmetricSide(alice, aliceLink, bobId.publicKey(), bob.localAddress(), 256,
                Duration.ofSeconds(10));
        assertEquals(256, aliceLink.openSockets());
        // which ports the extra sockets have (their NAT mappings, on loopback): two of them are probed,
        // after 40 misses
        List<Integer> extraPorts = new ArrayList<>();
        for (InetSocketAddress v : addressesOf(alice, aliceLink)) {
            extraPorts.add(aliceLink.localPort(v).orElseThrow());
        }
        int[] ports = new int[42];
        System.arraycopy(missPorts(40, new HashSet<>(extraPorts)), 0, ports, 0, 40);
        ports[40] = extraPorts.get(17);
        ports[41] = extraPorts.get(200);
        Probing probes = BirthdayPunch.probe(bobLink, InetAddress.getLoopbackAddress(), ContactAddressPolicy.ALLOW_LOOPBACK,
                ProbeSchedule.of(ports, Duration.ofSeconds(2)), Duration.ZERO);
        Session s = f.get(15, TimeUnit.SECONDS);
        Session incoming = bobIncoming.poll(10, TimeUnit.SECONDS);
        probes.stop();
        assertTrue(incoming != null, "Bob's side reports the session");
        assertTrue(bobLink.filtered.get() > 0, "initiations from unprobed sockets were filtered by the cone NAT");
        // the session layer resends every 200 ms, but an unheard socket sends once per 10 s: one each here
        assertTrue(bobLink.filtered.get() <= 256, "initiations from unheard sockets: " + bobLink.filtered.get());
        assertTrue(aliceLink.isExtraSocket(s.remoteAddress()), "Alice's session runs on an extra socket");
        int port = incoming.remoteAddress().getPort();
        assertTrue(port == extraPorts.get(17) || port == extraPorts.get(200), "Bob sees a probed port: " + port);
        assertEquals(1, aliceLink.openSockets(), "every socket but the winner's is closed");
        int defaultBuffer;
        try (java.nio.channels.DatagramChannel plain = java.nio.channels.DatagramChannel.open()) {
            defaultBuffer = plain.getOption(java.net.StandardSocketOptions.SO_RCVBUF);
        }
        assertTrue(aliceLink.receiveBuffer(s.remoteAddress()).orElseThrow() > defaultBuffer,
                "the kept socket carries a session: its receive buffer is widened beyond the default " + defaultBuffer);
        assertTrue(probes.awaitEnd(Duration.ofSeconds(5)));
        assertTrue(probes.sent() >= 41 && probes.sent() <= 42, "probes until the session: " + probes.sent());

        // a session as good as any: a message each way, and the kept-open path on both sides
        LinkedBlockingQueue<byte[]> atBob = new LinkedBlockingQueue<>();
        incoming.onMessage(atBob::add);
        s.sendMessage("hello through a birthday".getBytes(StandardCharsets.UTF_8));
        assertEquals("hello through a birthday", new String(atBob.poll(5, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        LinkedBlockingQueue<byte[]> atAlice = new LinkedBlockingQueue<>();
        s.onMessage(atAlice::add);
        incoming.sendMessage(new byte[] {42});
        assertEquals(42, atAlice.poll(5, TimeUnit.SECONDS)[0]);
        assertEquals(s.remoteAddress(), alice.livePath(bobId.publicKey()).orElseThrow());
        assertEquals(incoming.remoteAddress(), bob.livePath(aliceId.publicKey()).orElseThrow());
    }

    @Test
    void whenNoProbeHitsTheAttemptFailsWithinItsTimeAndLeavesNoSocketOpen() throws Exception {
        start(BirthdayLink.KEPT_IDLE);
        long t0 = System.nanoTime();
        var f = BirthdayPunch.fromSymmetricSide(alice, aliceLink, bobId.publicKey(), bob.localAddress(), 64,
                Duration.ofSeconds(2));
        Set<Integer> extra = new HashSet<>();
        for (InetSocketAddress v : addressesOf(alice, aliceLink)) {
            extra.add(aliceLink.localPort(v).orElseThrow());
        }
        Probing probes = BirthdayPunch.probe(bobLink, InetAddress.getLoopbackAddress(), ContactAddressPolicy.ALLOW_LOOPBACK,
                ProbeSchedule.of(missPorts(30, extra), Duration.ofMillis(600)), Duration.ZERO);
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertInstanceOf(NoDirectPathException.class, e.getCause());
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "gave up after its 2 s");
        waitFor(() -> aliceLink.openSockets() == 0, 2_000, "sockets still open: " + aliceLink.openSockets());
        assertEquals(30, probes.done().get(5, TimeUnit.SECONDS), "every probe of the schedule went out, no more");
        assertTrue(bobIncoming.isEmpty());
    }

    @Test
    void theKeptSocketClosesOnceNothingArrivesOnItAndClosingTheLinkClosesEverything() throws Exception {
        start(Duration.ofMillis(300));
        var f = BirthdayPunch.fromSymmetricSide(alice, aliceLink, bobId.publicKey(), bob.localAddress(), 8,
                Duration.ofSeconds(10));
        int[] ports = new int[8];
        int i = 0;
        for (InetSocketAddress v : addressesOf(alice, aliceLink)) {
            ports[i++] = aliceLink.localPort(v).orElseThrow();
        }
        Probing probes = BirthdayPunch.probe(bobLink, InetAddress.getLoopbackAddress(), ContactAddressPolicy.ALLOW_LOOPBACK,
                ProbeSchedule.of(ports, Duration.ofMillis(200)), Duration.ZERO);
        f.get(10, TimeUnit.SECONDS);
        probes.stop();
        assertEquals(1, aliceLink.openSockets());
        bob.close(); // Bob goes silent: the kept socket hears nothing more
        waitFor(() -> aliceLink.openSockets() == 0, 5_000, "the idle kept socket is still open");

        // and a set still being tried is closed with the link
        var g = BirthdayPunch.fromSymmetricSide(alice, aliceLink, bobId.publicKey(), bob.localAddress(), 100,
                Duration.ofSeconds(10));
        assertEquals(100, aliceLink.openSockets());
        aliceLink.close();
        assertEquals(0, aliceLink.openSockets());
        g.cancel(true);
    }

    @Test
    void extraSocketsAreBoundedAndAFailedOpenLeavesNothingBehind() throws Exception {
        start(BirthdayLink.KEPT_IDLE);
        InetSocketAddress peer = bob.localAddress();
        assertThrows(IllegalArgumentException.class, () -> aliceLink.open(peer, 257));
        assertThrows(IllegalArgumentException.class, () -> aliceLink.open(peer, 0));
        try (BirthdayLink.SocketSet first = aliceLink.open(peer, 200)) {
            IOException e = assertThrows(IOException.class, () -> aliceLink.open(peer, 57));
            assertTrue(e.getMessage().contains("at most 256"), e.getMessage());
            assertEquals(200, aliceLink.openSockets());
            try (BirthdayLink.SocketSet second = aliceLink.open(peer, 56)) {
                assertEquals(256, aliceLink.openSockets());
                assertEquals(56, second.addresses().size());
            }
            assertEquals(200, aliceLink.openSockets());
        }
        assertEquals(0, aliceLink.openSockets());
        assertThrows(IllegalArgumentException.class, () -> BirthdayPunch.fromSymmetricSide(alice, aliceLink,
                bobId.publicKey(), peer, 16, Duration.ofSeconds(21)));
        assertEquals(0, aliceLink.openSockets());

        // kept sockets (a session's, a kept-open path's) leave the next attempt its 256; at most 64 are kept
        List<InetSocketAddress> kept = new ArrayList<>();
        for (int i = 0; i < BirthdayLink.MAX_KEPT + 1; i++) {
            BirthdayLink.SocketSet set = aliceLink.open(peer, 2);
            kept.add(set.addresses().get(0));
            set.keep(set.addresses().get(0));
        }
        assertEquals(BirthdayLink.MAX_KEPT, aliceLink.openSockets(), "keeping the 65th closed the least recently heard");
        assertFalse(aliceLink.isExtraSocket(kept.get(0)));
        assertTrue(aliceLink.isExtraSocket(kept.get(BirthdayLink.MAX_KEPT)));
        try (BirthdayLink.SocketSet attempt = aliceLink.open(peer, BirthdayLink.MAX_SOCKETS)) {
            assertEquals(BirthdayLink.MAX_KEPT + BirthdayLink.MAX_SOCKETS, aliceLink.openSockets());
        }
        aliceLink.close();
        assertEquals(0, aliceLink.openSockets());
    }

    @Test
    void anExtraSocketTakesDatagramsFromItsPeerOnlyAndTheRestGoesToTheInnerLink() throws Exception {
        UdpLink a = UdpLink.start(new InetSocketAddress("127.0.0.1", 0));
        toClose.add(a);
        BirthdayLink link = BirthdayLink.over(a);
        toClose.add(link);
        LinkedBlockingQueue<InetSocketAddress> seen = new LinkedBlockingQueue<>();
        link.setReceiver((b, len, from) -> seen.add(from));
        try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket stranger = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             BirthdayLink.SocketSet set = link.open((InetSocketAddress) peer.getLocalSocketAddress(), 1)) {
            InetSocketAddress v = set.addresses().get(0);
            link.send(new byte[] {1, 2, 3}, v);
            DatagramPacket p = new DatagramPacket(new byte[64], 64);
            peer.setSoTimeout(5_000);
            peer.receive(p);
            assertEquals(3, p.getLength(), "sent from the extra socket to its peer");
            int extraPort = p.getPort();
            assertEquals(link.localPort(v).orElseThrow(), extraPort);
            InetSocketAddress extra = new InetSocketAddress(InetAddress.getLoopbackAddress(), extraPort);
            stranger.send(new DatagramPacket(new byte[] {9}, 1, extra));
            peer.send(new DatagramPacket(new byte[] {7}, 1, extra));
            assertEquals(v, seen.poll(5, TimeUnit.SECONDS), "the peer's datagram arrives from the virtual address");
            // the inner link still works as before
            peer.send(new DatagramPacket(new byte[] {8}, 1, a.localAddress()));
            assertEquals(peer.getLocalSocketAddress(), seen.poll(5, TimeUnit.SECONDS));
            assertTrue(seen.isEmpty(), "the stranger's datagram was dropped: " + seen);
        }
    }

    @Test
    void probingOnlyWhereTheContactPolicyAllowsAndOnlyWhenExactlyOneSideIsSymmetric() throws Exception {
        List<InetSocketAddress> sent = new ArrayList<>();
        DatagramLink recording = new DatagramLink() {
            @Override
            public void send(byte[] datagram, InetSocketAddress to) {
                sent.add(to);
            }

            @Override
            public void setReceiver(DatagramFilter receiver) {
            }

            @Override
            public InetSocketAddress localAddress() {
                return new InetSocketAddress(0);
            }
        };
        ProbeSchedule schedule = ProbeSchedule.random(10, Duration.ofSeconds(1), new Random(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BirthdayPunch.probe(recording,
                InetAddress.getLoopbackAddress(), ContactAddressPolicy.PUBLIC_ONLY, schedule, Duration.ZERO));
        assertTrue(e.getMessage().contains("not probing 127.0.0.1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BirthdayPunch.probe(recording,
                InetAddress.getByName("10.0.0.7"), ContactAddressPolicy.PUBLIC_ONLY, schedule, Duration.ZERO));
        assertTrue(sent.isEmpty(), "nothing sent to a refused address");
        assertTrue(BirthdayPunch.applies(NatType.SYMMETRIC, NatType.CONE));
        assertTrue(BirthdayPunch.applies(NatType.CONE, NatType.SYMMETRIC));
        assertFalse(BirthdayPunch.applies(NatType.SYMMETRIC, NatType.SYMMETRIC), "two hard sides: the relay");
        assertFalse(BirthdayPunch.applies(NatType.NONE, NatType.SYMMETRIC), "a public side needs no punching");
        assertFalse(BirthdayPunch.applies(NatType.CONE, NatType.CONE));
        assertFalse(BirthdayPunch.applies(NatType.UNKNOWN, NatType.SYMMETRIC));
    }

    @Test
    void aProbeScheduleHasDistinctPortsInTheNatRangeAndStaysWithinItsBounds() {
        ProbeSchedule s = ProbeSchedule.random(ProbeSchedule.MAX_PROBES, ProbeSchedule.MAX_DURATION, new Random(7));
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < s.size(); i++) {
            assertTrue(s.port(i) >= 1024 && s.port(i) <= 65_535, "port " + s.port(i));
            ports.add(s.port(i));
        }
        assertEquals(2_048, ports.size(), "distinct");
        assertEquals(0, s.offsetNanos(0));
        long last = s.offsetNanos(s.size() - 1);
        assertTrue(last < Duration.ofSeconds(20).toNanos(), "the last probe within 20 s");
        assertEquals(s.offsetNanos(1) * 2047, last, "evenly paced: ~102 probes a second");
        assertThrows(IllegalArgumentException.class, () -> ProbeSchedule.random(2_049, Duration.ofSeconds(20), new Random()));
        assertThrows(IllegalArgumentException.class, () -> ProbeSchedule.random(10, Duration.ofSeconds(21), new Random()));
        assertThrows(IllegalArgumentException.class, () -> ProbeSchedule.of(new int[] {0}, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> ProbeSchedule.of(new int[0], Duration.ofSeconds(1)));
    }

    /** The virtual addresses of the set just opened (the extra sockets are the link's only ones). */
    private static List<InetSocketAddress> addressesOf(SessionEndpoint e, BirthdayLink link) {
        return link.openAddresses();
    }
}
