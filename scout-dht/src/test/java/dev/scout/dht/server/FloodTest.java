package dev.scout.dht.server;

import dev.scout.dht.DhtConfig;
import dev.scout.dht.NodeId;
import dev.scout.dht.bencode.Bencode;
import dev.scout.dht.item.ImmutableItem;
import dev.scout.dht.item.ItemSigner;
import dev.scout.dht.item.MutableItem;
import dev.scout.dht.krpc.KrpcCodec;
import dev.scout.dht.krpc.KrpcDecodeException;
import dev.scout.dht.krpc.KrpcError;
import dev.scout.dht.krpc.KrpcMessage;
import dev.scout.dht.krpc.KrpcQuery;
import dev.scout.dht.krpc.KrpcResponse;
import dev.scout.dht.krpc.Query;
import dev.scout.dht.krpc.Want;
import dev.scout.dht.node.NodeCore;
import dev.scout.dht.storage.MemoryItemStore;
import dev.scout.dht.storage.PeerStore;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hostile loads of issue 11 at reduced size, on the sans-IO node: one source floods puts or
 * announces while another pings after every flood datagram. The node must answer every ping, keep
 * its stores within their bounds, refuse with a KRPC error what it does not store, and do a
 * bounded amount of work per flood datagram (checked on the stores' cost counters, not on time).
 */
class FloodTest {
    static final InetSocketAddress PINGER = address("198.51.100.7", 7000);
    static final InetSocketAddress ATTACKER = address("203.0.113.66", 40000);

    final AtomicLong clock = new AtomicLong(50_000_000);
    /** Datagrams sent since the last call, with where they went. */
    final List<Object[]> sent = new ArrayList<>();
    final Random random = new Random(17);
    int tid;
    int pings;

    static InetSocketAddress address(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    NodeCore node(DhtConfig config, ServerLimits limits) {
        return new NodeCore(NodeId.random(new Random(1)), config, clock::get, new Random(2), (d, to) -> sent.add(new Object[] {d, to}),
                null, limits);
    }

    KrpcMessage call(NodeCore node, Query q, InetSocketAddress from) {
        sent.clear();
        byte[] t = {(byte) (tid >>> 8), (byte) tid++};
        byte[] datagram = KrpcCodec.encode(new KrpcQuery(t, NodeId.random(random), q, false, null));
        node.handleDatagram(datagram, datagram.length, from);
        // The answer, plus perhaps a ping verifying the unknown querier (bounded in number).
        List<byte[]> answers = sent.stream().filter(d -> d[1].equals(from)).map(d -> (byte[]) d[0])
                .filter(d -> !isQuery(d)).toList();
        assertThat(answers).as("one answer").hasSize(1);
        try {
            return KrpcCodec.decode(answers.get(0));
        } catch (KrpcDecodeException e) {
            throw new AssertionError("the node sent an undecodable answer", e);
        }
    }

    static boolean isQuery(byte[] datagram) {
        try {
            return KrpcCodec.decode(datagram) instanceof KrpcQuery;
        } catch (KrpcDecodeException e) {
            throw new AssertionError("the node sent an undecodable datagram", e);
        }
    }

    /** A ping from another address is answered at once, whatever the flood did before. */
    void pingIsAnswered(NodeCore node) {
        assertThat(call(node, new Query.Ping(), PINGER)).isInstanceOf(KrpcResponse.class);
        pings++;
    }

    byte[] token(NodeCore node, InetSocketAddress from) {
        return ((KrpcResponse) call(node, new Query.GetPeers(NodeId.random(random), Want.UNSPECIFIED), from)).token();
    }

    static int code(KrpcMessage m) {
        assertThat(m).isInstanceOf(KrpcError.class);
        return ((KrpcError) m).code();
    }

    @Test
    void putFloodIntoAFullStoreCostsABoundedAmountPerPut() {
        DhtConfig config = DhtConfig.builder().bootstrap(List.of()).maxItems(1_000).maxPutsPerIpPerMinute(1_000_000)
                .build();
        NodeCore node = node(config, ServerLimits.DEFAULT);
        MemoryItemStore store = (MemoryItemStore) node.itemStore();
        byte[] token = token(node, ATTACKER);
        int puts = 4_000;
        long scannedAtFull = -1;
        for (int i = 0; i < puts; i++) {
            if (i == 1_000) {
                scannedAtFull = store.scanned();
            }
            byte[] v = Bencode.encode(Bencode.bytes("flood " + i));
            KrpcMessage reply = call(node, new Query.Put(token, v, null, null, null, null, null), ATTACKER);
            if (reply instanceof KrpcError e) {
                assertThat(e.code()).isEqualTo(KrpcError.SERVER); // storage full: refused, and said so
            }
            assertThat(store.count()).isLessThanOrEqualTo(1_000);
            pingIsAnswered(node);
        }
        assertThat(store.count()).isEqualTo(1_000);
        assertThat(store.scanned() - scannedAtFull).isLessThanOrEqualTo(3L * (puts - 1_000));
        assertThat(pings).isEqualTo(puts);
    }

    @Test
    void oneIpAnnouncingManyPortsCannotPushOutAnotherIpsPeer() {
        NodeCore node = node(DhtConfig.builder().bootstrap(List.of()).build(),
                new ServerLimits(200, 5_000, 8, 32L << 20, 1_000_000));
        NodeId infoHash = NodeId.random(random);
        InetSocketAddress victim = address("198.51.100.20", 6881);
        assertThat(call(node, new Query.AnnouncePeer(infoHash, 6881, token(node, victim), false), victim))
                .isInstanceOf(KrpcResponse.class);
        byte[] token = token(node, ATTACKER);
        for (int port = 1; port <= 10_000; port++) {
            assertThat(call(node, new Query.AnnouncePeer(infoHash, port, token, false), ATTACKER))
                    .isInstanceOf(KrpcResponse.class);
            if (port % 10 == 0) {
                pingIsAnswered(node);
            }
        }
        List<InetSocketAddress> peers = node.peerStore().peers(infoHash, 500, clock.get(), random);
        assertThat(peers).contains(victim).hasSize(9);
    }

    @Test
    void announcesFromOneIpAreRateLimitedAndRefusedWithAnError() {
        NodeCore node = node(DhtConfig.builder().bootstrap(List.of()).build(), ServerLimits.DEFAULT);
        byte[] token = token(node, ATTACKER);
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < 10_000; i++) {
            KrpcMessage reply = call(node, new Query.AnnouncePeer(NodeId.random(random), 6881, token, false), ATTACKER);
            if (reply instanceof KrpcResponse) {
                accepted++;
            } else {
                assertThat(code(reply)).isEqualTo(KrpcError.SERVER);
                assertThat(((KrpcError) reply).message()).contains("too many announces");
                refused++;
            }
            pingIsAnswered(node);
        }
        assertThat(accepted).isEqualTo(ServerLimits.DEFAULT.maxAnnouncesPerIpPerMinute());
        assertThat(refused).isEqualTo(10_000 - accepted);
        assertThat(node.peerStore().peerCount()).isEqualTo(accepted);
        // The bucket refills with time: a minute later, another minute's worth.
        clock.addAndGet(60_000);
        token = token(node, ATTACKER);
        assertThat(call(node, new Query.AnnouncePeer(NodeId.random(random), 6881, token, false), ATTACKER))
                .isInstanceOf(KrpcResponse.class);
        // Another IP was never limited by the attacker's bucket.
        InetSocketAddress honest = address("198.51.100.30", 6881);
        assertThat(call(node, new Query.AnnouncePeer(NodeId.random(random), 6881, token(node, honest), false), honest))
                .isInstanceOf(KrpcResponse.class);
    }

    @Test
    void manyIpsFillingEverySwarmHitTheByteBoundAndAreRefusedWithAnError() {
        long maxBytes = 2_000L * PeerStore.PEER_BYTES + 100L * PeerStore.SWARM_BYTES;
        NodeCore node = node(DhtConfig.builder().bootstrap(List.of()).build(),
                new ServerLimits(200, 5_000, 8, maxBytes, 60));
        PeerStore store = node.peerStore();
        int refusedFull = 0;
        long scannedBefore = store.scanned();
        int announces = 0;
        for (int host = 0; host < 200; host++) {
            InetSocketAddress from = address("10.1." + (host >>> 8) + "." + (host & 0xFF), 6881);
            byte[] token = token(node, from);
            for (int i = 0; i < 60; i++) {
                KrpcMessage reply = call(node, new Query.AnnouncePeer(NodeId.random(random), 6881, token, false), from);
                announces++;
                if (reply instanceof KrpcError e) {
                    assertThat(e.code()).isEqualTo(KrpcError.SERVER);
                    assertThat(e.message()).contains("peer store full");
                    refusedFull++;
                }
                assertThat(store.bytes()).isLessThanOrEqualTo(maxBytes);
            }
            pingIsAnswered(node);
        }
        assertThat(refusedFull).isPositive();
        assertThat(store.bytes()).isLessThanOrEqualTo(maxBytes);
        // Nothing expired and every swarm holds one peer: announces examined no stored peer at all.
        assertThat(store.scanned() - scannedBefore).isZero();
        assertThat(announces).isEqualTo(12_000);
    }

    @Test
    void negativeSeqIsRefusedWith203AndNeverStored() {
        NodeCore node = node(DhtConfig.builder().bootstrap(List.of()).build(), ServerLimits.DEFAULT);
        byte[] seed = new byte[32];
        seed[0] = 9;
        ItemSigner signer = ItemSigner.fromSeed(seed);
        byte[] v = Bencode.encode(Bencode.bytes("x"));
        byte[] token = token(node, ATTACKER);
        for (long seq : new long[] {Long.MIN_VALUE, -1}) {
            // Correctly signed: the seq itself is what is refused.
            byte[] sig = signer.sign(MutableItem.signingBuffer(new byte[0], seq, v));
            KrpcMessage reply = call(node, new Query.Put(token, v, signer.publicKey(), sig, null, seq, null), ATTACKER);
            assertThat(code(reply)).isEqualTo(KrpcError.PROTOCOL);
        }
        assertThat(node.itemStore().count()).isZero();
        // seq 0 and 2^63-1 are valid and round-trip through get.
        MutableItem max = MutableItem.sign(signer, null, Long.MAX_VALUE, v);
        KrpcMessage ok = call(node, new Query.Put(token, v, max.publicKey(), max.signature(), null, max.seq(), null),
                ATTACKER);
        assertThat(ok).isInstanceOf(KrpcResponse.class);
        KrpcResponse got = (KrpcResponse) call(node, new Query.Get(max.target(), null, Want.UNSPECIFIED), PINGER);
        assertThat(got.seq()).isEqualTo(Long.MAX_VALUE);
        assertThat(new ImmutableItem(v).value()).isEqualTo(got.value());
    }
}
