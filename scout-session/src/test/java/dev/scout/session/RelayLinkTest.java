package dev.scout.session;

import static dev.scout.testkit.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.FormatException;
import dev.scout.session.relay.CapturingLink;
import dev.scout.session.relay.RelayEntry;
import dev.scout.session.relay.RelayLimits;
import dev.scout.session.relay.RelayLink;
import dev.scout.session.relay.RelayRegistration;
import dev.scout.session.relay.internal.RelayWire;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Relaying on loopback (docs/sessions.md, "Relaying"): real UDP sockets, a relay node and two
 * endpoints that reach each other only through it (neither ever learns the other's address).
 */
@Timeout(60)
class RelayLinkTest {

    /** One UDP socket with a relay-aware link and, unless it only relays, a session endpoint. */
    private static final class Node implements AutoCloseable {
        final Ed25519KeyPair identity = Ed25519KeyPair.generate();
        final Set<dev.scout.dht.Ed25519PublicKey> contacts = ConcurrentHashMap.newKeySet();
        final UdpLink udp;
        final RelayLink link;
        final SessionEndpoint endpoint;
        final LinkedBlockingQueue<Session> incoming = new LinkedBlockingQueue<>();

        Node(boolean endpoint) throws IOException {
            udp = UdpLink.start(new InetSocketAddress("127.0.0.1", 0));
            link = RelayLink.over(udp);
            this.endpoint = endpoint ? SessionEndpoint.start(identity, link, contacts::contains, Peers.fast()) : null;
            if (endpoint) {
                this.endpoint.onSession(incoming::add);
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


    @Test
    void twoEndpointsTalkOnlyThroughTheRelayAndAMegabyteArrivesIntact() throws Exception {
        try (Node relay = new Node(false); Node alice = new Node(true); Node bob = new Node(true)) {
            relay.link.serve(RelayLimits.defaults());
            alice.contacts.add(bob.identity.publicKey());
            bob.contacts.add(alice.identity.publicKey());
            RelayRegistration reg = bob.link.registerAt(relay.address(), bob.identity);
            await(reg::registered, "bob registered at the relay");
            assertThat(relay.link.relayStats().orElseThrow().clients()).isEqualTo(1);

            InetSocketAddress viaRelay = alice.link.route(relay.address(), reg.tag());
            assertThat(RelayLink.isVirtual(viaRelay)).isTrue();
            assertThat(alice.link.route(relay.address(), reg.tag())).isEqualTo(viaRelay);
            long t0 = System.nanoTime();
            Session a = alice.endpoint.connect(bob.identity.publicKey(), List.of(viaRelay)).get(5, TimeUnit.SECONDS);
            System.out.printf("relayed connect on loopback: %.1f ms%n", (System.nanoTime() - t0) / 1e6);
            Session b = bob.incoming.poll(5, TimeUnit.SECONDS);
            assertThat(b).isNotNull();
            assertThat(b.peer()).isEqualTo(alice.identity.publicKey());
            assertThat(a.remoteAddress()).isEqualTo(viaRelay);
            assertThat(RelayLink.isVirtual(b.remoteAddress())).as("bob sees a conversation, never alice's address").isTrue();

            long t1 = System.nanoTime();
            SessionLoopbackTest.transfer(a, b, 1 << 20, 7);
            System.out.printf("1 MiB through the relay on loopback: %.1f ms%n", (System.nanoTime() - t1) / 1e6);
            // The answer path works too: a message back from bob.
            CompletableFuture<byte[]> got = new CompletableFuture<>();
            a.onMessage(got::complete);
            b.sendMessage("back".getBytes());
            assertThat(got.get(5, TimeUnit.SECONDS)).isEqualTo("back".getBytes());
            RelayLink.RelayStats s = relay.link.relayStats().orElseThrow();
            assertThat(s.forwardedBytes()).isGreaterThan(1 << 20);
            assertThat(s.conversations()).isEqualTo(1);
            a.close();
        }
    }

    /**
     * Both sides registered at the same two relays (home A, standby B: the common case with two public
     * relays, docs/sessions.md "Another relay"); the session runs through A, each side knows the other's
     * routes through B. A dies in mid-transfer: the same session moves to B within 15 s and the stream
     * arrives intact.
     */
    @Test
    void aSessionOnTheSharedHomeRelayMovesToTheSharedStandbyWhenTheHomeRelayDies() throws Exception {
        try (Node relayA = new Node(false); Node relayB = new Node(false); Node alice = new Node(true); Node bob = new Node(true)) {
            relayA.link.serve(RelayLimits.defaults());
            relayB.link.serve(RelayLimits.defaults());
            alice.contacts.add(bob.identity.publicKey());
            bob.contacts.add(alice.identity.publicKey());
            RelayRegistration[] regs = {alice.link.registerAt(relayA.address(), alice.identity),
                alice.link.registerStandbyAt(relayB.address(), alice.identity), bob.link.registerAt(relayA.address(), bob.identity),
                bob.link.registerStandbyAt(relayB.address(), bob.identity)};
            for (RelayRegistration r : regs) {
                await(r::registered, "registered at " + r.relay());
            }
            Session a = alice.endpoint.connect(bob.identity.publicKey(), List.of(alice.link.route(relayA.address(), regs[2].tag())))
                    .get(5, TimeUnit.SECONDS);
            Session b = bob.incoming.poll(5, TimeUnit.SECONDS);
            assertThat(b).isNotNull();
            PathProbes.relayRoutes(a, List.of(alice.link.route(relayB.address(), regs[3].tag())));
            PathProbes.relayRoutes(b, List.of(bob.link.route(relayA.address(), regs[0].tag()), bob.link.route(relayB.address(), regs[1].tag())));
            byte[] data = new byte[8 << 20];
            new Random(4).nextBytes(data);
            java.util.concurrent.atomic.AtomicLong got = new java.util.concurrent.atomic.AtomicLong();
            CompletableFuture<byte[]> read = b.acceptStream().thenApplyAsync(st -> {
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                byte[] buf = new byte[16 * 1024];
                try {
                    for (int n; (n = st.input().read(buf)) >= 0; got.addAndGet(n)) {
                        out.write(buf, 0, n);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return out.toByteArray();
            });
            SessionStream stream = a.openStream();
            CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
                try (java.io.OutputStream out = stream.output()) {
                    out.write(data);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            await(() -> got.get() >= data.length / 8, "an eighth of the stream arrived through relay A");
            long atKill = got.get();
            long killed = System.nanoTime();
            relayA.close(); // the shared home relay dies
            await(() -> alice.link.relayOf(a.remoteAddress()).equals(java.util.Optional.of(relayB.address()))
                    && bob.link.relayOf(b.remoteAddress()).equals(java.util.Optional.of(relayB.address())),
                    "both sides moved to relay B", Duration.ofSeconds(15));
            long moved = (System.nanoTime() - killed) / 1_000_000;
            assertThat(read.get(30, TimeUnit.SECONDS)).as("the stream arrived intact").isEqualTo(data);
            written.get(5, TimeUnit.SECONDS);
            assertThat(a.closed()).as("the same session, never ended").isNotDone();
            System.out.printf("shared home relay killed with %d of %d bytes delivered: both sides on the standby %d ms later%n",
                    atKill, data.length, moved);
            a.close();
        }
    }

    @Test
    void aPokeTravelsThroughTheRelayLikeASessionDatagramAndOtherMarkersDoNot() throws Exception {
        try (Node relay = new Node(false); Node alice = new Node(false); Node bob = new Node(false)) {
            relay.link.serve(RelayLimits.defaults());
            LinkedBlockingQueue<byte[]> atBob = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<InetSocketAddress> from = new LinkedBlockingQueue<>();
            bob.link.setReceiver((b, len, source) -> {
                atBob.add(java.util.Arrays.copyOf(b, len));
                from.add(source);
                return true;
            });
            RelayRegistration reg = bob.link.registerAt(relay.address(), bob.identity);
            await(reg::registered, "bob registered at the relay");
            InetSocketAddress viaRelay = alice.link.route(relay.address(), reg.tag());
            byte[] other = new byte[35];
            other[0] = (byte) 0xF8; // not a marker relays know: dropped by the relay
            alice.link.send(other, viaRelay);
            byte[] poke = new byte[35]; // the poke's marker and length (scout-node's PokeWire); the rest is opaque here
            new Random(5).nextBytes(poke);
            poke[0] = RelayWire.POKE;
            alice.link.send(poke, viaRelay);
            byte[] got = atBob.poll(5, TimeUnit.SECONDS);
            assertThat(got).isEqualTo(poke);
            assertThat(RelayLink.isVirtual(from.poll(5, TimeUnit.SECONDS))).as("from the relayed conversation, never alice's address").isTrue();
            assertThat(atBob.poll(300, TimeUnit.MILLISECONDS)).as("the 0xF8 datagram").isNull();
        }
    }

    @Test
    void unknownTagsAndJunkAreDroppedAndATagExpires() throws Exception {
        RelayLimits quick = new RelayLimits(4, 4, 4, 16, 1 << 20, 4 << 20, Duration.ofMillis(600), Duration.ofSeconds(5));
        try (Node relay = new Node(false); Node bob = new Node(true); DatagramChannel stranger = DatagramChannel.open()) {
            relay.link.serve(quick);
            stranger.bind(new InetSocketAddress("127.0.0.1", 0));
            stranger.socket().setSoTimeout(2_000);
            RelayRegistration reg = bob.link.registerAt(relay.address(), bob.identity);
            await(reg::registered, "bob registered");
            byte[] tag = reg.tag();

            // A datagram to a tag nobody registered: dropped, nothing forwarded.
            byte[] init = new byte[162];
            init[0] = (byte) 0xF1;
            long dropped = stats(relay).dropped();
            send(stranger, RelayWire.toTag(Peers.random(16, 1), init, 0, init.length), relay.address());
            await(() -> stats(relay).dropped() == dropped + 1, "unknown tag dropped");
            assertThat(stats(relay).forwardedBytes()).isZero();
            assertThat(stats(relay).conversations()).isZero();

            // Oversize, a non-session payload and a bare marker: dropped.
            send(stranger, RelayWire.toTag(tag, new byte[1300], 0, 1300), relay.address());
            byte[] krpcInside = "d1:y1:qe".getBytes();
            send(stranger, RelayWire.toTag(tag, krpcInside, 0, krpcInside.length), relay.address());
            await(() -> stats(relay).dropped() == dropped + 3, "oversize and non-session payloads dropped");
            assertThat(stats(relay).forwardedBytes()).isZero();

            // A session datagram to bob's tag is forwarded (bob's endpoint drops the junk INIT itself).
            send(stranger, RelayWire.toTag(tag, init, 0, init.length), relay.address());
            await(() -> stats(relay).forwardedBytes() > 0, "forwarded to bob");

            // Bob stops refreshing: after its lifetime the tag is gone and then free for another registrant.
            reg.close();
            await(() -> stats(relay).clients() == 0, "registration expired");
            long forwarded = stats(relay).forwardedBytes();
            long before = stats(relay).dropped();
            send(stranger, RelayWire.toTag(tag, init, 0, init.length), relay.address());
            await(() -> stats(relay).dropped() == before + 1, "expired tag dropped");
            assertThat(stats(relay).forwardedBytes()).isEqualTo(forwarded);
        }
    }

    /** The bounds of RelayLimits hold: clients, channels per client, bytes per second. */
    @Test
    void theLimitsHold() throws Exception {
        RelayLimits tight = new RelayLimits(1, 1, 1, 8, 2_000, 1 << 20, Duration.ofSeconds(30), Duration.ofSeconds(60));
        try (Node relay = new Node(false); Node bob = new Node(true); DatagramChannel stranger = DatagramChannel.open();
             DatagramChannel other = DatagramChannel.open()) {
            relay.link.serve(tight);
            stranger.bind(new InetSocketAddress("127.0.0.1", 0));
            other.bind(new InetSocketAddress("127.0.0.1", 0));
            RelayRegistration reg = bob.link.registerAt(relay.address(), bob.identity);
            await(reg::registered, "bob registered");
            try (Node carol = new Node(true)) {
                RelayRegistration refused = carol.link.registerAt(relay.address(), carol.identity);
                await(refused::refused, "a second client is refused, and told so");
                assertThat(refused.registered()).isFalse();
            }
            assertThat(stats(relay).clients()).isEqualTo(1);

            byte[] init = new byte[162];
            init[0] = (byte) 0xF1;
            byte[] datagram = RelayWire.toTag(reg.tag(), init, 0, init.length);
            send(stranger, datagram, relay.address()); // opens bob's one channel
            await(() -> stats(relay).conversations() == 1, "one channel");
            long d1 = stats(relay).dropped();
            send(other, datagram, relay.address());
            await(() -> stats(relay).dropped() == d1 + 1, "a second channel for bob is refused");

            // 200 × 180 bytes against 2,000 bytes/s: only about a second's worth (plus refill) passes.
            long before = stats(relay).dropped() + stats(relay).forwardedBytes() / datagram.length;
            for (int i = 0; i < 200; i++) {
                send(stranger, datagram, relay.address());
            }
            await(() -> stats(relay).dropped() + stats(relay).forwardedBytes() / datagram.length == before + 200,
                    "all 200 handled");
            assertThat(stats(relay).dropped() - d1 - 1).as("dropped over the byte budget").isGreaterThan(100);
        }
    }

    @Test
    void aRelayWithoutTheContactsRegistrationGivesNoSession() throws Exception {
        try (Node relay = new Node(false); Node alice = new Node(true); Node bob = new Node(true)) {
            relay.link.serve(RelayLimits.defaults());
            alice.contacts.add(bob.identity.publicKey());
            bob.contacts.add(alice.identity.publicKey());
            InetSocketAddress guess = alice.link.route(relay.address(), Peers.random(16, 9));
            CompletableFuture<Session> f = alice.endpoint.connect(bob.identity.publicKey(), List.of(guess), NatType.SYMMETRIC,
                    Duration.ofMillis(500));
            assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(NoDirectPathException.class);
            assertThat(stats(relay).forwardedBytes()).isZero();
            assertThat(stats(relay).dropped()).isPositive();
        }
    }

    /**
     * The rendezvous' fallback: an attempt to an address that never answers is running when the
     * contact's relay route is offered; the route joins it and the same attempt succeeds through the relay.
     */
    @Test
    void aRelayRouteJoinsAnAttemptInProgress() throws Exception {
        try (Node relay = new Node(false); Node alice = new Node(true); Node bob = new Node(true);
             DatagramChannel silent = DatagramChannel.open()) {
            relay.link.serve(RelayLimits.defaults());
            silent.bind(new InetSocketAddress("127.0.0.1", 0)); // takes the datagrams, answers nothing
            alice.contacts.add(bob.identity.publicKey());
            bob.contacts.add(alice.identity.publicKey());
            RelayRegistration reg = bob.link.registerAt(relay.address(), bob.identity);
            await(reg::registered, "bob registered");
            CompletableFuture<Session> direct = alice.endpoint.connect(bob.identity.publicKey(),
                    List.of((InetSocketAddress) silent.getLocalAddress()), NatType.SYMMETRIC, Duration.ofSeconds(5));
            InetSocketAddress route = alice.link.route(relay.address(), reg.tag());
            CompletableFuture<Session> joined = alice.endpoint.connect(bob.identity.publicKey(), List.of(route));
            Session a = joined.get(5, TimeUnit.SECONDS);
            assertThat(a.remoteAddress()).isEqualTo(route);
            assertThat(direct.get(1, TimeUnit.SECONDS)).as("the attempt that was running").isSameAs(a);
            assertThat(bob.incoming.poll(5, TimeUnit.SECONDS)).isNotNull();
        }
    }

    /** KRPC starts with 'd': the relay link passes every such datagram on and claims only 0xF5 ones. */
    @Test
    void krpcIsNeverClaimedAndRelayDatagramsAlwaysAre() {
        CapturingLink fake = new CapturingLink();
        RelayLink link = RelayLink.over(fake);
        link.serve(RelayLimits.defaults());
        link.setReceiver((b, n, from) -> false);
        Random random = new Random(5);
        InetSocketAddress from = new InetSocketAddress("127.0.0.1", 2);
        for (int i = 0; i < 1_000; i++) {
            byte[] b = new byte[1 + random.nextInt(1_400)];
            random.nextBytes(b);
            b[0] = 'd';
            assertThat(fake.receive(b, b.length, from)).isFalse();
            b[0] = RelayWire.MARK;
            assertThat(fake.receive(b, b.length, from)).isTrue();
        }
        assertThat(link.relayStats().orElseThrow().forwardedBytes()).isZero();
    }

    @Test
    void theRelayEntryRoundTripsAndRejectsMalformedContent() throws Exception {
        RelayEntry e = new RelayEntry(new InetSocketAddress("100.64.0.10", 6881), Peers.random(16, 3), NatType.SYMMETRIC, 1_800_000_000L);
        assertThat(e.encode()).hasSize(33);
        assertThat(RelayEntry.decode(e.encode())).isEqualTo(e);
        RelayEntry v6 = new RelayEntry(new InetSocketAddress("2001:db8::1", 7), Peers.random(16, 4), NatType.CONE, 5);
        assertThat(RelayEntry.decode(v6.encode())).isEqualTo(v6);
        byte[] ok = e.encode();
        for (int cut = 0; cut < ok.length; cut++) {
            byte[] shorter = java.util.Arrays.copyOf(ok, cut);
            assertThatThrownBy(() -> RelayEntry.decode(shorter)).isInstanceOf(FormatException.class);
        }
        byte[] longer = java.util.Arrays.copyOf(ok, ok.length + 1);
        assertThatThrownBy(() -> RelayEntry.decode(longer)).isInstanceOf(FormatException.class);
        byte[] family = ok.clone();
        family[26] = 5;
        assertThatThrownBy(() -> RelayEntry.decode(family)).isInstanceOf(FormatException.class);
        assertThat(e.toString()).doesNotContain(java.util.HexFormat.of().formatHex(e.tag()));
    }

    private static RelayLink.RelayStats stats(Node relay) {
        return relay.link.relayStats().orElseThrow();
    }

    private static void send(DatagramChannel c, byte[] b, InetSocketAddress to) throws IOException {
        c.send(ByteBuffer.wrap(b), to);
    }

    private static InetSocketAddress receive(DatagramChannel c, ByteBuffer into) throws Exception {
        CompletableFuture<InetSocketAddress> f = CompletableFuture.supplyAsync(() -> {
            try {
                return (InetSocketAddress) c.receive(into);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new SocketTimeoutException("no answer within 5 s");
        }
    }
}
