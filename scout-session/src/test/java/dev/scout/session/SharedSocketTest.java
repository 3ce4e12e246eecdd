package dev.scout.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scout.dht.DatagramFilter;
import dev.scout.dht.DhtConfig;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.udp.DhtNode;
import dev.scout.dht.udp.DualStackNode;
import dev.scout.session.handshake.Wire;
import dev.scout.testkit.RandomCases;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Sessions and KRPC on one DHT node's UDP socket, and the demultiplexing rule that keeps them apart. */
class SharedSocketTest {

    @Test
    void sessionAndDhtShareTheNodesSocket() throws Exception {
        DhtConfig.Builder loopback = DhtConfig.builder().bindAddress(new InetSocketAddress("127.0.0.1", 0))
                .bootstrap(List.of()).requestTimeoutMillis(2_000);
        try (DhtNode a = DhtNode.start(loopback.build());
                DhtNode b = DhtNode.start(loopback.bootstrap(List.of("127.0.0.1:" + a.localAddress().getPort())).build())) {
            b.bootstrapped().get(20, TimeUnit.SECONDS);
            Endpoints e = Endpoints.over(DatagramLink.of(a), DatagramLink.of(b));
            SessionEndpoint ea = e.alice();
            SessionEndpoint eb = e.bob();
            Ed25519KeyPair bob = e.bobKey();
            CompletableFuture<Session> incoming = new CompletableFuture<>();
            eb.onSession(incoming::complete);
            Session s = ea.connect(bob.publicKey(), List.of(b.localAddress())).get(5, TimeUnit.SECONDS);
            // The session leaves from the DHT node's own port: the address the node publishes.
            assertThat(incoming.get(5, TimeUnit.SECONDS).remoteAddress()).isEqualTo(a.localAddress());

            byte[] data = Peers.random(1 << 20, 5);
            SessionStream out = s.openStream();
            CompletableFuture<byte[]> read = readAll(incoming.get().acceptStream());
            out.output().write(data);
            // KRPC keeps working on the same socket while the stream flows.
            assertThat(a.ping(b.localAddress()).get(5, TimeUnit.SECONDS)).isEqualTo(b.id());
            out.output().close();
            assertThat(read.get(20, TimeUnit.SECONDS)).isEqualTo(data);
            assertThat(b.ping(a.localAddress()).get(5, TimeUnit.SECONDS)).isEqualTo(a.id());
            ea.close();
            eb.close();
        }
    }

    /** On a dual-stack node (BEP 32) a session reaches the peer over either family, from that family's socket. */
    @Test
    void sessionsUseBothSocketsOfADualStackNode() throws Exception {
        DhtConfig.Builder v4 = DhtConfig.builder().bindAddress(new InetSocketAddress("127.0.0.1", 0)).bootstrap(List.of());
        DhtConfig.Builder v6 = DhtConfig.builder().bindAddress(new InetSocketAddress("::1", 0)).bootstrap(List.of());
        try (DualStackNode a = DualStackNode.start(v4.build(), v6.build());
                DualStackNode b = DualStackNode.start(v4.build(), v6.build())) {
            Endpoints e = Endpoints.over(DatagramLink.of(a), DatagramLink.of(b));
            SessionEndpoint ea = e.alice();
            SessionEndpoint eb = e.bob();
            Ed25519KeyPair bob = e.bobKey();
            java.util.concurrent.BlockingQueue<Session> incoming = new java.util.concurrent.LinkedBlockingQueue<>();
            eb.onSession(incoming::add);
            for (boolean ipv6 : new boolean[] {false, true}) {
                DhtNode bFamily = (ipv6 ? b.ipv6() : b.ipv4()).orElseThrow();
                DhtNode aFamily = (ipv6 ? a.ipv6() : a.ipv4()).orElseThrow();
                Session s = ea.connect(bob.publicKey(), List.of(bFamily.localAddress())).get(5, TimeUnit.SECONDS);
                Session in = incoming.poll(5, TimeUnit.SECONDS);
                assertThat(in).as(ipv6 ? "IPv6 session" : "IPv4 session").isNotNull();
                assertThat(in.remoteAddress()).isEqualTo(aFamily.localAddress());
                byte[] data = Peers.random(64 * 1024, ipv6 ? 7 : 6);
                SessionStream out = s.openStream();
                CompletableFuture<byte[]> read = readAll(in.acceptStream());
                out.output().write(data);
                out.output().close();
                assertThat(read.get(20, TimeUnit.SECONDS)).isEqualTo(data);
            }
            // KRPC still reaches both families past the session filter.
            assertThat(a.ping(b.ipv4().orElseThrow().localAddress()).get(5, TimeUnit.SECONDS)).isEqualTo(b.ipv4().orElseThrow().id());
            assertThat(a.ping(b.ipv6().orElseThrow().localAddress()).get(5, TimeUnit.SECONDS)).isEqualTo(b.ipv6().orElseThrow().id());
            ea.close();
            eb.close();
        }
    }

    @Test
    void krpcIsNeverClaimed() {
        RandomCases.forAll(List.of(new byte[1], new byte[1500]), 1000, r -> RandomCases.bytes(r, 1, 1500), datagram -> {
            datagram[0] = 'd';
            assertThat(endpoint().claim(datagram, datagram.length, new InetSocketAddress("127.0.0.1", 1))).isFalse();
        });
    }

    @Test
    void sessionMarkersAreClaimedOnlyWhenTheyFit() throws Exception {
        SessionEndpoint e = endpoint();
        InetSocketAddress from = new InetSocketAddress("127.0.0.1", 1);
        byte[] init = new byte[Wire.INIT_LENGTH];
        init[0] = Wire.INIT;
        init[1] = Wire.VERSION;
        assertThat(e.claim(init, init.length, from)).isTrue();
        assertThat(e.claim(init, init.length - 1, from)).as("wrong length").isFalse();
        byte[] data = new byte[100];
        data[0] = Wire.DATA;
        assertThat(e.claim(data, data.length, from)).as("unknown connection id").isFalse();
        byte[] response = new byte[Wire.RESPONSE_LENGTH];
        response[0] = Wire.RESPONSE;
        assertThat(e.claim(response, response.length, from)).as("no such handshake").isFalse();
        byte[] keep = new byte[Wire.KEEP_LENGTH];
        keep[0] = Wire.KEEP;
        assertThat(e.claim(keep, keep.length, from)).as("a KEEP, dropped here unless its token is known").isTrue();
        assertThat(e.claim(keep, keep.length - 1, from)).as("KEEP marker, wrong length").isFalse();
    }

    private static SessionEndpoint cached;

    private static synchronized SessionEndpoint endpoint() {
        if (cached == null) {
            cached = SessionEndpoint.start(Ed25519KeyPair.generate(), new DatagramLink() {
                @Override
                public void send(byte[] datagram, InetSocketAddress to) {
                }

                @Override
                public void setReceiver(DatagramFilter receiver) {
                }

                @Override
                public InetSocketAddress localAddress() {
                    return new InetSocketAddress("127.0.0.1", 0);
                }
            }, k -> false, SessionConfig.defaults());
        }
        return cached;
    }

    /** Alice's and Bob's endpoints over two links, each accepting only the other. */
    private record Endpoints(SessionEndpoint alice, SessionEndpoint bob, Ed25519KeyPair bobKey) {
        static Endpoints over(DatagramLink aliceLink, DatagramLink bobLink) {
            Ed25519KeyPair alice = Ed25519KeyPair.generate();
            Ed25519KeyPair bob = Ed25519KeyPair.generate();
            return new Endpoints(
                    SessionEndpoint.start(alice, aliceLink, k -> k.equals(bob.publicKey()), SessionConfig.defaults()),
                    SessionEndpoint.start(bob, bobLink, k -> k.equals(alice.publicKey()), SessionConfig.defaults()), bob);
        }
    }

    /** Everything the accepted stream carries, read on another thread. */
    private static CompletableFuture<byte[]> readAll(CompletableFuture<SessionStream> accepted) {
        return accepted.thenApplyAsync(stream -> {
            try {
                return stream.input().readAllBytes();
            } catch (java.io.IOException e) {
                throw new RuntimeException(e);
            }
        });
    }
}
