package dev.scout.session;

import static dev.scout.testkit.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.Ed25519PublicKey;
import dev.scout.session.path.PathChoice;
import dev.scout.session.relay.RelayLimits;
import dev.scout.session.relay.RelayLink;
import dev.scout.session.relay.RelayRegistration;
import dev.scout.session.transport.Frame;
import dev.scout.session.transport.FrameCodec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Relay first, then direct (docs/sessions.md): on loopback, real UDP, a relay node and two endpoints
 * whose direct datagrams to each other a tap drops until the test lets them through. A session starts
 * on the relay, carries data there, and moves to the direct path once probes get through; a relay
 * killed in mid-transfer does not end the session, which continues direct with every byte.
 */
@Timeout(60)
class RelayFirstTest {

    /** A socket, a tap that can drop direct datagrams to {@code blocked}, a relay-aware link and an endpoint. */
    private static final class Node implements AutoCloseable {
        final Ed25519KeyPair identity = Ed25519KeyPair.generate();
        final Set<Ed25519PublicKey> contacts = ConcurrentHashMap.newKeySet();
        final UdpLink udp;
        final TapLink tap;
        final RelayLink link;
        final SessionEndpoint endpoint;
        final LinkedBlockingQueue<Session> incoming = new LinkedBlockingQueue<>();
        final Set<InetSocketAddress> blocked = ConcurrentHashMap.newKeySet();
        final java.util.concurrent.atomic.AtomicInteger dropped = new java.util.concurrent.atomic.AtomicInteger();

        Node(boolean endpoint) throws IOException {
            udp = UdpLink.start(new InetSocketAddress("127.0.0.1", 0));
            tap = new TapLink(udp);
            tap.outgoing = (b, to) -> {
                if (blocked.contains(to)) {
                    dropped.incrementAndGet();
                    return List.of();
                }
                return List.of(b);
            };
            link = RelayLink.over(tap);
            this.endpoint = endpoint ? SessionEndpoint.start(identity, link, contacts::contains, Peers.fast()) : null;
            if (endpoint) {
                this.endpoint.onSession(incoming::add);
                this.endpoint.setHolePunching(() -> List.of(address()), a -> a.getAddress().isLoopbackAddress());
            }
        }

        InetSocketAddress address() {
            return udp.localAddress();
        }

        @Override
        public void close() {
            if (endpoint != null) {
                endpoint.close();
            }
            link.close();
            udp.close();
        }
    }

    private static Session[] relayedPair(Node relay, Node alice, Node bob) throws Exception {
        relay.link.serve(RelayLimits.defaults());
        alice.contacts.add(bob.identity.publicKey());
        bob.contacts.add(alice.identity.publicKey());
        alice.blocked.add(bob.address());
        bob.blocked.add(alice.address());
        RelayRegistration reg = bob.link.registerAt(relay.address(), bob.identity);
        await(reg::registered, "bob registered at the relay");
        InetSocketAddress route = alice.link.route(relay.address(), reg.tag());
        Session a = alice.endpoint.connect(bob.identity.publicKey(), List.of(route), List.of(bob.address()), NatType.CONE,
                Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
        Session b = bob.incoming.poll(5, TimeUnit.SECONDS);
        assertThat(b).isNotNull();
        assertThat(a.remoteAddress()).as("alice starts on the relay").isEqualTo(route);
        assertThat(RelayLink.isVirtual(b.remoteAddress())).as("bob starts on the relay").isTrue();
        return new Session[] {a, b};
    }

    @Test
    void aSessionCarriesDataThroughTheRelayFirstThenMovesToTheDirectPath() throws Exception {
        try (Node relay = new Node(false); Node alice = new Node(true); Node bob = new Node(true)) {
            Session[] s = relayedPair(relay, alice, bob);
            List<InetSocketAddress> aliceMoves = new CopyOnWriteArrayList<>();
            List<InetSocketAddress> bobMoves = new CopyOnWriteArrayList<>();
            s[0].onPathChange(aliceMoves::add);
            s[1].onPathChange(bobMoves::add);
            // Data through the relay while the direct way is closed.
            CompletableFuture<byte[]> got = new CompletableFuture<>();
            s[1].onMessage(got::complete);
            s[0].sendMessage("through the relay".getBytes());
            assertThat(got.get(5, TimeUnit.SECONDS)).isEqualTo("through the relay".getBytes());
            assertThat(relay.link.relayStats().orElseThrow().forwardedBytes()).isPositive();
            assertThat(RelayLink.isVirtual(s[0].remoteAddress())).isTrue();

            // The "NATs" open: the punch round still running gets through and both sides move.
            alice.blocked.clear();
            bob.blocked.clear();
            await(() -> s[0].remoteAddress().equals(bob.address()) && s[1].remoteAddress().equals(alice.address()),
                    "both sides moved to the direct path");
            await(() -> aliceMoves.contains(bob.address()) && bobMoves.contains(alice.address()),
                    "both sides were told of the move");
            long relayed = relay.link.relayStats().orElseThrow().forwardedBytes();
            SessionLoopbackTest.transfer(s[0], s[1], 1 << 20, 11);
            assertThat(relay.link.relayStats().orElseThrow().forwardedBytes() - relayed)
                    .as("the megabyte went direct, not through the relay").isLessThan(64 << 10);
            assertThat(s[0].remoteAddress()).isEqualTo(bob.address());
            // The kept-open path followed the session: the next connect goes straight to the punched path.
            assertThat(alice.endpoint.livePath(bob.identity.publicKey())).contains(bob.address());
            assertThat(bob.endpoint.livePath(alice.identity.publicKey())).contains(alice.address());
            s[0].close();
        }
    }

    @Test
    void aRelayKilledInMidTransferDoesNotEndTheSessionItContinuesDirect() throws Exception {
        try (Node relay = new Node(false); Node alice = new Node(true); Node bob = new Node(true)) {
            Session[] s = relayedPair(relay, alice, bob);
            // The first punch round finds the direct way closed and ends: the session stays on the relay, and
            // only the relay's failure can start another round.
            await(() -> alice.dropped.get() >= PathChoice.PROBES && bob.dropped.get() >= PathChoice.PROBES,
                    "both sides' first punch rounds were dropped");
            assertThat(RelayLink.isVirtual(s[0].remoteAddress())).isTrue();
            int size = 8 << 20;
            CompletableFuture<Void> transfer = CompletableFuture.runAsync(() -> {
                try {
                    SessionLoopbackTest.transfer(s[0], s[1], size, 12);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            await(() -> relay.link.relayStats().orElseThrow().forwardedBytes() > 512 << 10, "the transfer runs through the relay");
            relay.close(); // the relay is gone: nothing it had in flight arrives
            long killed = System.nanoTime();
            alice.blocked.clear();
            bob.blocked.clear();
            transfer.get(30, TimeUnit.SECONDS); // every byte, SHA-256 equal
            double seconds = (System.nanoTime() - killed) / 1e9;
            System.out.printf("8 MiB transfer finished %.1f s after the relay was killed%n", seconds);
            assertThat(s[0].closed()).isNotDone();
            assertThat(s[0].remoteAddress()).isEqualTo(bob.address());
            assertThat(s[1].remoteAddress()).isEqualTo(alice.address());
            assertThat(seconds).as("within the session's 15 s").isLessThan(15);
            s[0].close();
        }
    }

    @Test
    void candidatesFramesRoundTripAndHostileOnesAreRefused() {
        List<InetSocketAddress> addresses = List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 6881),
                new InetSocketAddress("2001:db8::1", 443));
        ByteBuffer buf = ByteBuffer.allocate(256);
        Frame f = new Frame.Candidates(addresses);
        FrameCodec.encode(f, buf);
        assertThat(buf.position()).isEqualTo(FrameCodec.size(f));
        buf.flip();
        assertThat(FrameCodec.decode(buf)).singleElement().isEqualTo(f);

        byte[] tooMany = {8, (byte) (FrameCodec.MAX_CANDIDATES + 1)};
        byte[] badLength = {8, 1, 5, 1, 2, 3, 4, 5, 0, 1};
        byte[] portZero = {8, 1, 4, 1, 2, 3, 4, 0, 0};
        byte[] truncated = {8, 1, 4, 1, 2};
        for (byte[] b : List.of(tooMany, badLength, portZero, truncated)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> FrameCodec.decode(ByteBuffer.wrap(b)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
