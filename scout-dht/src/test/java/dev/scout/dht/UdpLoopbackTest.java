package dev.scout.dht;

import dev.scout.dht.udp.DhtNode;

import dev.scout.dht.bencode.Bencode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** All four BEP 5 queries and BEP 44 items between real UDP nodes on 127.0.0.1. */
class UdpLoopbackTest {
    static final List<DhtNode> nodes = new ArrayList<>();

    static DhtConfig.Builder loopback() {
        return DhtConfig.builder().bindAddress(new InetSocketAddress("127.0.0.1", 0)).bootstrap(List.of())
                .requestTimeoutMillis(2_000);
    }

    @BeforeAll
    static void startNetwork() throws Exception {
        nodes.add(DhtNode.start(loopback().build()));
        String seed = "127.0.0.1:" + nodes.get(0).localAddress().getPort();
        for (int i = 1; i < 12; i++) {
            nodes.add(DhtNode.start(loopback().bootstrap(List.of(seed)).build()));
        }
        for (int i = 1; i < nodes.size(); i++) {
            nodes.get(i).bootstrapped().get(20, TimeUnit.SECONDS);
        }
        // A second pass so early joiners learn about later ones.
        for (DhtNode n : nodes) {
            n.findNode(n.id()).get(20, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopNetwork() {
        nodes.forEach(DhtNode::close);
    }

    @Test
    void pingReturnsTheNodeId() throws Exception {
        NodeId id = nodes.get(3).ping(nodes.get(7).localAddress()).get(10, TimeUnit.SECONDS);
        assertThat(id).isEqualTo(nodes.get(7).id());
    }

    @Test
    void findNodeReturnsTheTargetNodeItself() throws Exception {
        NodeId target = nodes.get(9).id();
        List<NodeInfo> found = nodes.get(2).findNode(target).get(20, TimeUnit.SECONDS);
        assertThat(found).isNotEmpty();
        assertThat(found.get(0).id()).isEqualTo(target);
        assertThat(found.get(0).address()).isEqualTo(nodes.get(9).localAddress());
    }

    @Test
    void announcedPeerIsFoundFromAnotherNode() throws Exception {
        NodeId infoHash = NodeId.random();
        AnnounceResult announced = nodes.get(4).announce(infoHash, 51413).get(20, TimeUnit.SECONDS);
        assertThat(announced.stored()).isGreaterThan(0);
        List<InetSocketAddress> peers = nodes.get(10).getPeers(infoHash).get(20, TimeUnit.SECONDS);
        assertThat(peers).contains(new InetSocketAddress("127.0.0.1", 51413));
    }

    @Test
    void impliedPortAnnouncesTheSourcePort() throws Exception {
        NodeId infoHash = NodeId.random();
        nodes.get(5).announce(infoHash, 0).get(20, TimeUnit.SECONDS);
        List<InetSocketAddress> peers = nodes.get(1).getPeers(infoHash).get(20, TimeUnit.SECONDS);
        assertThat(peers).contains(nodes.get(5).localAddress());
    }

    @Test
    void immutableAndMutableItemsRoundTrip() throws Exception {
        byte[] value = Bencode.encode(Bencode.bytes("hello over udp"));
        PutResult put = nodes.get(1).putImmutable(ImmutableItem.ofBencoded(value)).get(20, TimeUnit.SECONDS);
        assertThat(put.stored()).isGreaterThan(0);
        assertThat(nodes.get(8).getImmutable(put.target()).get(20, TimeUnit.SECONDS)).hasValue(ImmutableItem.ofBencoded(value));

        byte[] seed = new byte[32];
        new Random(5).nextBytes(seed);
        Ed25519KeyPair signer = Ed25519KeyPair.ofSeed(seed);
        byte[] salt = Bencode.bytes("salt");
        PutResult first = nodes.get(2).putMutable(signer, salt, Bencode.encode(Bencode.bytes("v1"))).get(20, TimeUnit.SECONDS);
        assertThat(first.seq()).hasValue(1L);
        PutResult second = nodes.get(3).putMutable(signer, salt, Bencode.encode(Bencode.bytes("v2"))).get(20, TimeUnit.SECONDS);
        assertThat(second.seq()).hasValue(2L);
        MutableItem got = nodes.get(11).getMutable(signer.publicKey(), salt).get(20, TimeUnit.SECONDS).orElseThrow();
        assertThat(got.seq()).isEqualTo(2L);
        assertThat(got.value()).isEqualTo(Bencode.encode(Bencode.bytes("v2")));
    }

    @Test
    void randomBytesNeverStopANode() throws Exception {
        DhtNode victim = nodes.get(6);
        Random random = new Random(1234);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            for (int i = 0; i < 3_000; i++) {
                byte[] junk = new byte[random.nextInt(1_500)];
                random.nextBytes(junk);
                if (i % 3 == 0 && junk.length > 4) {
                    junk[0] = 'd'; // looks like bencode, fails later
                }
                socket.send(new DatagramPacket(junk, junk.length, victim.localAddress()));
            }
        }
        NodeId id = nodes.get(0).ping(victim.localAddress()).get(10, TimeUnit.SECONDS);
        assertThat(id).isEqualTo(victim.id());
        NodeStats stats = victim.stats().get(5, TimeUnit.SECONDS);
        assertThat(stats.malformed()).isGreaterThan(0);
    }
}
