package dev.scout.session.punch;

import static dev.scout.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scout.dht.Ed25519KeyPair;
import dev.scout.session.ContactAddressPolicy;
import dev.scout.session.NatType;
import dev.scout.session.NoDirectPathException;
import dev.scout.session.Session;
import dev.scout.session.SessionConfig;
import dev.scout.session.SessionEndpoint;
import dev.scout.session.SessionStream;
import dev.scout.session.UdpLink;
import dev.scout.session.relay.RelayLimits;
import dev.scout.session.relay.RelayLink;
import dev.scout.session.relay.RelayRegistration;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Birthday punching alongside a relayed session, on loopback: a relay, Alice behind a "symmetric NAT"
 * (her usual socket cannot reach Bob: his cone filter drops everything from an address he never sent
 * to, and her extra sockets' ports are the mappings) and Bob behind a cone NAT
 * ({@link BirthdayPunchTest.ConeFilter}). The session starts on the relay; only a probe of Bob's that
 * hits one of Alice's extra sockets opens a direct path, and the same session moves there.
 */
@Timeout(60)
class RelayedBirthdayTest {
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final Ed25519KeyPair aliceId = Ed25519KeyPair.generate();
    private final Ed25519KeyPair bobId = Ed25519KeyPair.generate();
    private BirthdayLink aliceLink;
    private SessionEndpoint alice; // symmetric
    private BirthdayPunchTest.ConeFilter bobFilter;
    private SessionEndpoint bob; // cone
    private RelayLink relay;
    private Session atAlice;
    private Session atBob;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T t) {
        toClose.add(t);
        return t;
    }

    /** Starts the relay and both sides; Bob registers at the relay and Alice connects through it. */
    private void relayedSession() throws Exception {
        relayedSession(false);
    }

    /**
     * As {@link #relayedSession()}; with {@code namingAddresses} Alice names an address of hers where nothing
     * listens (her IP is what the cone side probes) in the session, and Bob takes loopback addresses.
     */
    private void relayedSession(boolean namingAddresses) throws Exception {
        UdpLink r = closing(UdpLink.start(new InetSocketAddress("127.0.0.1", 0)));
        relay = closing(RelayLink.over(r));
        relay.serve(RelayLimits.defaults());
        UdpLink a = closing(UdpLink.start(new InetSocketAddress("127.0.0.1", 0)));
        RelayLink aliceRelayLink = closing(RelayLink.over(a));
        aliceLink = closing(BirthdayLink.over(aliceRelayLink));
        alice = closing(SessionEndpoint.start(aliceId, aliceLink, k -> k.equals(bobId.publicKey()), SessionConfig.defaults()));
        UdpLink b = closing(UdpLink.start(new InetSocketAddress("127.0.0.1", 0)));
        bobFilter = new BirthdayPunchTest.ConeFilter(b);
        RelayLink bobRelayLink = closing(RelayLink.over(bobFilter));
        bob = closing(SessionEndpoint.start(bobId, bobRelayLink, k -> k.equals(aliceId.publicKey()), SessionConfig.defaults()));
        if (namingAddresses) {
            alice.setHolePunching(() -> List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)), any -> true);
            bob.setHolePunching(List::of, ContactAddressPolicy.ALLOW_LOOPBACK::allows);
        }
        LinkedBlockingQueue<Session> incoming = new LinkedBlockingQueue<>();
        bob.onSession(incoming::add);
        RelayRegistration reg = bobRelayLink.registerAt(r.localAddress(), bobId);
        await(reg::registered, "Bob registered at the relay");
        InetSocketAddress route = aliceRelayLink.route(r.localAddress(), reg.tag());
        atAlice = alice.connect(bobId.publicKey(), List.of(route), NatType.CONE, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        atBob = incoming.poll(10, TimeUnit.SECONDS);
        assertTrue(atBob != null, "Bob's side has the session");
        assertEquals(route, atAlice.remoteAddress(), "Alice starts on the relay");
        assertTrue(RelayLink.isVirtual(atBob.remoteAddress()), "Bob starts on the relay");
    }

    private Set<Integer> extraPorts() {
        Set<Integer> out = new HashSet<>();
        for (InetSocketAddress v : aliceLink.openAddresses()) {
            out.add(aliceLink.localPort(v).orElseThrow());
        }
        return out;
    }

    @Test
    void theRelayedSessionMovesToTheDirectPathThroughTheExtraSocketAProbeHitAndDataContinuesIntact() throws Exception {
        relayedSession();
        List<InetSocketAddress> aliceMoves = new CopyOnWriteArrayList<>();
        List<InetSocketAddress> bobMoves = new CopyOnWriteArrayList<>();
        atAlice.onPathChange(aliceMoves::add);
        atBob.onPathChange(bobMoves::add);
        byte[] data = new byte[600_000];
        new Random(7).nextBytes(data);
        SessionStream out = atAlice.openStream();
        CompletableFuture<SessionStream> in = atBob.acceptStream();
        out.output().write(data, 0, 200_000); // through the relay, before any direct path
        out.output().flush();
        InputStream read = in.get(10, TimeUnit.SECONDS).input();
        byte[] got = read.readNBytes(200_000);
        assertTrue(relay.relayStats().orElseThrow().forwardedBytes() > 200_000, "the first bytes went through the relay");

        CompletableFuture<InetSocketAddress> punched = RelayedBirthday.fromSymmetricSide(atAlice, aliceLink, bob.localAddress(),
                256, Duration.ofSeconds(10));
        assertEquals(256, aliceLink.openSockets());
        List<Integer> ports = new ArrayList<>(extraPorts());
        int hit = ports.get(123);
        int[] schedule = new int[41];
        System.arraycopy(BirthdayPunchTest.missPorts(40, new HashSet<>(ports)), 0, schedule, 0, 40);
        schedule[40] = hit;
        Probing probes = RelayedBirthday.fromConeSide(atBob, InetAddress.getLoopbackAddress(), ContactAddressPolicy.ALLOW_LOOPBACK,
                ProbeSchedule.of(schedule, Duration.ofSeconds(2)), Duration.ZERO);

        InetSocketAddress winner = punched.get(10, TimeUnit.SECONDS);
        assertTrue(aliceLink.isExtraSocket(winner), "Alice's session took an extra socket: " + winner);
        assertEquals(hit, aliceLink.localPort(winner).orElseThrow(), "the probed one");
        await(() -> atAlice.remoteAddress().equals(winner), "Alice's session runs on the extra socket");
        InetSocketAddress direct = new InetSocketAddress(InetAddress.getLoopbackAddress(), hit);
        await(() -> atBob.remoteAddress().equals(direct), "Bob's session runs direct to Alice's mapping");
        await(() -> aliceMoves.contains(winner) && bobMoves.contains(direct), "both sessions told of the move");
        assertEquals(1, aliceLink.openSockets(), "every other extra socket closed at once");
        assertTrue(probes.awaitEnd(Duration.ofSeconds(5)), "Bob's probes stopped");
        assertTrue(probes.sent() <= schedule.length, "probes: " + probes.sent());
        assertTrue(bobFilter.filtered.get() > 0 && bobFilter.filtered.get() <= 256,
                "one probe per unheard extra socket, filtered by the cone NAT: " + bobFilter.filtered.get());

        long relayed = relay.relayStats().orElseThrow().forwardedBytes();
        out.output().write(data, 200_000, data.length - 200_000); // the rest, direct
        out.output().close();
        byte[] rest = read.readAllBytes();
        byte[] all = new byte[got.length + rest.length];
        System.arraycopy(got, 0, all, 0, got.length);
        System.arraycopy(rest, 0, all, got.length, rest.length);
        assertArrayEquals(data, all, "every byte, in order, across the move");
        assertTrue(relay.relayStats().orElseThrow().forwardedBytes() - relayed < 100_000,
                "the rest did not go through the relay");
        assertEquals(winner, atAlice.remoteAddress());
        assertEquals(direct, atBob.remoteAddress());
    }

    @Test
    void withoutAHitTheSessionStaysOnTheRelayAndNoExtraSocketIsLeft() throws Exception {
        relayedSession();
        CompletableFuture<InetSocketAddress> punched = RelayedBirthday.fromSymmetricSide(atAlice, aliceLink, bob.localAddress(),
                64, Duration.ofSeconds(2));
        Probing probes = RelayedBirthday.fromConeSide(atBob, InetAddress.getLoopbackAddress(), ContactAddressPolicy.ALLOW_LOOPBACK,
                ProbeSchedule.of(BirthdayPunchTest.missPorts(20, extraPorts()), Duration.ofMillis(500)), Duration.ZERO);
        ExecutionException e = assertThrows(ExecutionException.class, () -> punched.get(10, TimeUnit.SECONDS));
        assertInstanceOf(NoDirectPathException.class, e.getCause());
        await(() -> aliceLink.openSockets() == 0, "no extra socket left");
        assertEquals(20, probes.done().get(5, TimeUnit.SECONDS), "every probe of the schedule, no more");
        assertTrue(RelayLink.isVirtual(atAlice.remoteAddress()) && !aliceLink.isExtraSocket(atAlice.remoteAddress()));
        assertTrue(RelayLink.isVirtual(atBob.remoteAddress()), "Bob's session stays on the relay");
        LinkedBlockingQueue<byte[]> atBobMessages = new LinkedBlockingQueue<>();
        atBob.onMessage(atBobMessages::add);
        atAlice.sendMessage(new byte[] {7});
        assertArrayEquals(new byte[] {7}, atBobMessages.poll(5, TimeUnit.SECONDS), "the relayed session still works");
    }

    @Test
    void aMissIsTriedAgainWithNewSocketsAndTheCandidatesSentAgainStartTheConeSidesProbesAnew() throws Exception {
        relayedSession(true);
        // Attempt 1 opens Alice's sockets; Bob's first schedule misses all of them, his second hits one of
        // the sockets then open (attempt 2's, opened before Alice names her addresses again)
        CompletableFuture<InetSocketAddress> punched = RelayedBirthday.fromSymmetricSide(atAlice, aliceLink, bob.localAddress(),
                64, Duration.ofSeconds(2), 3, Duration.ofMillis(300));
        List<Set<Integer>> socketsAtEachSchedule = new CopyOnWriteArrayList<>();
        List<Probing> bobAttempts = new CopyOnWriteArrayList<>();
        RelayedBirthday.fromConeSide(atBob, ContactAddressPolicy.ALLOW_LOOPBACK, () -> {
            Set<Integer> open = extraPorts();
            socketsAtEachSchedule.add(open);
            try {
                return socketsAtEachSchedule.size() == 1
                        ? ProbeSchedule.of(BirthdayPunchTest.missPorts(20, open), Duration.ofMillis(500))
                        : ProbeSchedule.of(new int[] {open.iterator().next()}, Duration.ofMillis(10));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, 3, (ip, probes) -> bobAttempts.add(probes));
        await(() -> bobAttempts.size() == 1, "Bob probes at once: Alice named her addresses with the handshake");
        InetSocketAddress winner = punched.get(15, TimeUnit.SECONDS);
        assertEquals(2, bobAttempts.size(), "Bob probed twice: once per naming");
        assertEquals(20, bobAttempts.get(0).done().get(5, TimeUnit.SECONDS), "the first attempt missed with every probe");
        assertTrue(aliceLink.isExtraSocket(winner), "Alice's session took an extra socket of attempt 2: " + winner);
        assertTrue(socketsAtEachSchedule.get(1).contains(aliceLink.localPort(winner).orElseThrow()));
        assertTrue(java.util.Collections.disjoint(socketsAtEachSchedule.get(0), socketsAtEachSchedule.get(1)),
                "attempt 2 has new sockets");
        await(() -> atAlice.remoteAddress().equals(winner), "Alice's session runs on the extra socket");
        await(() -> !RelayLink.isVirtual(atBob.remoteAddress()), "Bob's session runs direct");
        assertEquals(1, aliceLink.openSockets(), "every other extra socket closed");
        LinkedBlockingQueue<byte[]> atBobMessages = new LinkedBlockingQueue<>();
        atBob.onMessage(atBobMessages::add);
        atAlice.sendMessage(new byte[] {9});
        assertArrayEquals(new byte[] {9}, atBobMessages.poll(5, TimeUnit.SECONDS), "the same session, direct now");
    }

    @Test
    void afterTheLastMissTheSessionStaysOnTheRelayAndTheFailureNamesTheAttempts() throws Exception {
        relayedSession();
        CompletableFuture<InetSocketAddress> punched = RelayedBirthday.fromSymmetricSide(atAlice, aliceLink, bob.localAddress(),
                16, Duration.ofMillis(500), 2, Duration.ofMillis(100));
        ExecutionException e = assertThrows(ExecutionException.class, () -> punched.get(10, TimeUnit.SECONDS));
        assertInstanceOf(NoDirectPathException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("attempt 2 of 2"), e.getCause().getMessage());
        await(() -> aliceLink.openSockets() == 0, "no extra socket left");
        assertTrue(RelayLink.isVirtual(atAlice.remoteAddress()), "Alice's session stays on the relay");
    }

    @Test
    void aRefusedAddressIsNotProbed() throws Exception {
        relayedSession();
        assertThrows(IllegalArgumentException.class, () -> RelayedBirthday.fromConeSide(atBob,
                InetAddress.getLoopbackAddress(), ContactAddressPolicy.PUBLIC_ONLY,
                ProbeSchedule.of(new int[] {5000}, Duration.ofMillis(10)), Duration.ZERO));
        assertFalse(aliceLink.openSockets() > 0);
    }
}
