package dev.scout.dht.udp;

import dev.scout.dht.*;
import dev.scout.dht.bencode.Bencode;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.MutableItem;
import dev.scout.dht.krpc.KrpcCodec;
import dev.scout.dht.krpc.KrpcQuery;
import dev.scout.dht.krpc.KrpcResponse;
import dev.scout.dht.krpc.Query;
import dev.scout.dht.krpc.Want;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * docs/spec.md §10 on real UDP: a mixed loopback network of dual-stack nodes ({@link DualStackNode}, on
 * 127.0.0.1 and ::1), IPv4-only nodes (127.0.0.1) and IPv6-only nodes (::1). Checks a table per family,
 * BEP 32 {@code want} answered for both families, items looked up and merged across families, the
 * external address per family, a shared port, and that a missing route is reported as such.
 */
class DualStackTest {
    static final List<DualStackNode> dual = new ArrayList<>();
    static final List<DhtNode> v4only = new ArrayList<>();
    static final List<DhtNode> v6only = new ArrayList<>();

    static DhtConfig config(String host, List<String> bootstrap) {
        return DhtConfig.builder().bindAddress(new InetSocketAddress(host, 0)).bootstrap(bootstrap)
                .requestTimeoutMillis(2_000).build();
    }

    @BeforeAll
    static void startNetwork() throws Exception {
        dual.add(DualStackNode.start(config("127.0.0.1", List.of()), config("::1", List.of())));
        String seed4 = Addresses.format(dual.get(0).ipv4().orElseThrow().localAddress());
        String seed6 = Addresses.format(dual.get(0).ipv6().orElseThrow().localAddress());
        for (int i = 1; i < 6; i++) {
            dual.add(DualStackNode.start(config("127.0.0.1", List.of(seed4)), config("::1", List.of(seed6))));
        }
        for (int i = 0; i < 5; i++) {
            v4only.add(DhtNode.start(config("127.0.0.1", List.of(seed4))));
            v6only.add(DhtNode.start(config("::1", List.of(seed6))));
        }
        for (int i = 1; i < dual.size(); i++) {
            dual.get(i).bootstrapped().get(20, TimeUnit.SECONDS);
        }
        for (int i = 0; i < v4only.size(); i++) {
            v4only.get(i).bootstrapped().get(20, TimeUnit.SECONDS);
            v6only.get(i).bootstrapped().get(20, TimeUnit.SECONDS);
        }
        // A second pass so early joiners learn about later ones.
        for (DualStackNode n : dual) {
            for (DhtNode f : n.families()) {
                f.findNode(f.id()).get(20, TimeUnit.SECONDS);
            }
        }
        for (DhtNode n : concat(v4only, v6only)) {
            n.findNode(n.id()).get(20, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopNetwork() {
        dual.forEach(DualStackNode::close);
        v4only.forEach(DhtNode::close);
        v6only.forEach(DhtNode::close);
    }

    static List<DhtNode> concat(List<DhtNode> a, List<DhtNode> b) {
        List<DhtNode> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    static <T> T await(java.util.concurrent.CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    @Test
    void eachFamilyHasItsOwnRoutingTableAndId() throws Exception {
        DualStackNode n = dual.get(2);
        DhtNode four = n.ipv4().orElseThrow();
        DhtNode six = n.ipv6().orElseThrow();
        List<NodeInfo> table4 = await(four.routingTable());
        List<NodeInfo> table6 = await(six.routingTable());
        assertThat(table4).hasSizeGreaterThanOrEqualTo(8)
                .allMatch(i -> i.address().getAddress() instanceof Inet4Address);
        assertThat(table6).hasSizeGreaterThanOrEqualTo(8)
                .allMatch(i -> i.address().getAddress() instanceof Inet6Address);
        assertThat(four.id()).isNotEqualTo(six.id());
        assertThat(await(n.routingTable())).hasSize(table4.size() + table6.size());
    }

    @Test
    void wantIsAnsweredForBothFamiliesOnEitherSocket() throws Exception {
        DualStackNode n = dual.get(1);
        NodeId target = NodeId.random();
        // Each family reads the other's table from a snapshot published when it joined and every second.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (DhtNode socket : n.families()) {
            while (findNode(socket.localAddress(), target, new Want(true, true)).nodes().isEmpty()
                    || findNode(socket.localAddress(), target, new Want(true, true)).nodes6().isEmpty()) {
                assertThat(System.nanoTime() - deadline).as("want answered for both families in time").isNegative();
                Thread.sleep(50);
            }
        }
        for (DhtNode socket : n.families()) {
            KrpcResponse both = findNode(socket.localAddress(), target, new Want(true, true));
            assertThat(both.nodes()).as("IPv4 contacts via %s", socket.localAddress()).isNotEmpty()
                    .allMatch(i -> i.address().getAddress() instanceof Inet4Address);
            assertThat(both.nodes6()).as("IPv6 contacts via %s", socket.localAddress()).isNotEmpty()
                    .allMatch(i -> i.address().getAddress() instanceof Inet6Address);
            KrpcResponse only4 = findNode(socket.localAddress(), target, new Want(true, false));
            assertThat(only4.nodes()).isNotEmpty();
            assertThat(only4.nodes6()).isEmpty();
            KrpcResponse only6 = findNode(socket.localAddress(), target, new Want(false, true));
            assertThat(only6.nodes()).isEmpty();
            assertThat(only6.nodes6()).isNotEmpty();
        }
        // Without want, each socket answers with its own family (BEP 32).
        KrpcResponse plain6 = findNode(n.ipv6().orElseThrow().localAddress(), target, Want.UNSPECIFIED);
        assertThat(plain6.nodes()).isEmpty();
        assertThat(plain6.nodes6()).isNotEmpty();
    }

    /** One raw find_node from a throwaway socket of the destination's family. */
    static KrpcResponse findNode(InetSocketAddress to, NodeId target, Want want) throws Exception {
        InetAddress local = to.getAddress() instanceof Inet6Address ? InetAddress.getByName("::1")
                : InetAddress.getByName("127.0.0.1");
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(local, 0))) {
            s.setSoTimeout(5_000);
            byte[] q = KrpcCodec.encode(new KrpcQuery(new byte[] {'w', 'n'}, NodeId.random(),
                    new Query.FindNode(target, want), true, null));
            s.send(new DatagramPacket(q, q.length, to));
            byte[] buf = new byte[2048];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            return (KrpcResponse) KrpcCodec.decode(java.util.Arrays.copyOf(buf, p.getLength()));
        }
    }

    @Test
    void immutableItemsLiveInTheFamilyTheyWerePutIn() throws Exception {
        byte[] onlyV6 = Bencode.encode(Bencode.bytes("stored by an IPv6-only node"));
        PutResult put = await(v6only.get(1).putImmutable(ImmutableItem.ofBencoded(onlyV6)));
        assertThat(put.stored()).isPositive();
        assertThat(await(dual.get(4).getImmutable(put.target()))).hasValueSatisfying(v -> assertThat(v.value()).isEqualTo(onlyV6));
        assertThat(await(v4only.get(2).getImmutable(put.target()))).as("the IPv4 network never saw it").isEmpty();

        // A dual-stack put reaches both networks.
        byte[] both = Bencode.encode(Bencode.bytes("stored by a dual-stack node"));
        PutResult dualPut = await(dual.get(3).putImmutable(ImmutableItem.ofBencoded(both)));
        assertThat(dualPut.outcomes()).anyMatch(o -> o.node().address().getAddress() instanceof Inet4Address && o.stored())
                .anyMatch(o -> o.node().address().getAddress() instanceof Inet6Address && o.stored());
        assertThat(await(v4only.get(3).getImmutable(dualPut.target()))).hasValueSatisfying(v -> assertThat(v.value()).isEqualTo(both));
        assertThat(await(v6only.get(3).getImmutable(dualPut.target()))).hasValueSatisfying(v -> assertThat(v.value()).isEqualTo(both));
    }

    @Test
    void theHighestSeqWinsAcrossFamilies() throws Exception {
        Ed25519KeyPair signer = Ed25519KeyPair.ofSeed(new byte[32]);
        byte[] salt = "merge".getBytes(StandardCharsets.US_ASCII);
        byte[] older = Bencode.encode(Bencode.bytes("seq 5 in IPv4"));
        byte[] newer = Bencode.encode(Bencode.bytes("seq 7 in IPv6"));
        await(v4only.get(0).putMutable(MutableItem.sign(signer, salt, 5, older)));
        await(v6only.get(0).putMutable(MutableItem.sign(signer, salt, 7, newer)));

        Optional<MutableItem> merged = await(dual.get(5).getMutable(signer.publicKey(), salt));
        assertThat(merged).hasValueSatisfying(i -> {
            assertThat(i.seq()).isEqualTo(7);
            assertThat(i.value()).isEqualTo(newer);
        });
        assertThat(await(dual.get(5).getMutableVersions(signer.publicKey(), salt))).extracting(MutableItem::seq)
                .containsExactly(7L, 5L);

        // A read-modify-write from the dual-stack node goes above both and lands in both networks.
        byte[] next = Bencode.encode(Bencode.bytes("seq 8 everywhere"));
        PutResult put = await(dual.get(5).putMutable(signer, salt, next));
        assertThat(put.seq()).hasValue(8);
        assertThat(await(v4only.get(4).getMutable(signer.publicKey(), salt))).hasValueSatisfying(i -> assertThat(i.seq()).isEqualTo(8));
        assertThat(await(v6only.get(4).getMutable(signer.publicKey(), salt))).hasValueSatisfying(i -> assertThat(i.seq()).isEqualTo(8));
    }

    @Test
    void peersAnnouncedInEitherFamilyAreFound() throws Exception {
        NodeId infoHash = NodeId.random();
        await(v4only.get(1).announce(infoHash, 6001));
        await(v6only.get(2).announce(infoHash, 6002));
        assertThat(await(dual.get(0).getPeers(infoHash))).contains(
                new InetSocketAddress("127.0.0.1", 6001), new InetSocketAddress("::1", 6002));
    }

    @Test
    void externalAddressIsLearnedPerFamily() throws Exception {
        DualStackNode n = dual.get(3);
        List<InetSocketAddress> external = await(n.externalAddresses());
        assertThat(external).containsExactly(
                new InetSocketAddress("127.0.0.1", n.ipv4().orElseThrow().localAddress().getPort()),
                new InetSocketAddress("::1", n.ipv6().orElseThrow().localAddress().getPort()));
    }

    @Test
    void bothFamiliesCanShareOnePort() throws Exception {
        int port = freePort();
        try (DualStackNode shared = DualStackNode.start(config4(port), config6(port))) {
            DhtNode four = shared.ipv4().orElseThrow();
            DhtNode six = shared.ipv6().orElseThrow();
            assertThat(four.localAddress().getPort()).isEqualTo(port);
            assertThat(six.localAddress().getPort()).isEqualTo(port);
            // Each family's datagrams reach that family's node.
            assertThat(await(v4only.get(0).ping(new InetSocketAddress("127.0.0.1", port)))).isEqualTo(four.id());
            assertThat(await(v6only.get(0).ping(new InetSocketAddress("::1", port)))).isEqualTo(six.id());
        }
    }

    static DhtConfig config4(int port) {
        return DhtConfig.builder().bindAddress(new InetSocketAddress("127.0.0.1", port)).bootstrap(List.of()).build();
    }

    static DhtConfig config6(int port) {
        return DhtConfig.builder().bindAddress(new InetSocketAddress("::1", port)).bootstrap(List.of()).build();
    }

    static int freePort() throws Exception {
        for (int p = 49_600; p < 49_700; p++) {
            try (DatagramSocket a = new DatagramSocket(new InetSocketAddress("127.0.0.1", p));
                 DatagramSocket b = new DatagramSocket(new InetSocketAddress("::1", p))) {
                return p;
            } catch (java.net.SocketException e) {
                // taken; try the next
            }
        }
        throw new IllegalStateException("no free port in 49600..49699");
    }

    @Test
    void aFamilyWithoutRoutersJoinsThroughTheOtherFamilysAnswers() throws Exception {
        String seed4 = Addresses.format(dual.get(0).ipv4().orElseThrow().localAddress());
        try (DualStackNode n = DualStackNode.start(config("127.0.0.1", List.of(seed4)), config("::1", List.of()))) {
            n.bootstrapped().get(20, TimeUnit.SECONDS);
            DhtNode four = n.ipv4().orElseThrow();
            DhtNode six = n.ipv6().orElseThrow();
            // IPv4 lookups ask for IPv6 contacts too (want n4 n6) while the IPv6 table is thin; the IPv6
            // node pings them and keeps those that answer.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (await(six.routingTable()).size() < 4) {
                assertThat(System.nanoTime() - deadline).as("IPv6 table filled through IPv4 answers").isNegative();
                await(four.findNode(NodeId.random()));
            }
            assertThat(await(six.routingTable())).allMatch(i -> i.address().getAddress() instanceof Inet6Address);
            // Once it has contacts, that family takes part in operations: it can find an IPv6-only node's item.
            byte[] value = Bencode.encode(Bencode.bytes("found through a family that had no routers"));
            PutResult put = await(v6only.get(2).putImmutable(ImmutableItem.ofBencoded(value)));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            Optional<ImmutableItem> got;
            while ((got = await(n.getImmutable(put.target()))).isEmpty()) {
                assertThat(System.nanoTime() - until).as("the IPv6 family is used once it has contacts").isNegative();
                Thread.sleep(100);
            }
            assertThat(got).hasValueSatisfying(v -> assertThat(v.value()).isEqualTo(value));
        }
    }

    @Test
    void aMissingFamilyOrRouteIsReportedAsSuchNotAsSilence() throws Exception {
        try (DualStackNode onlyV4 = DualStackNode.start(config4(0), null)) {
            assertThatThrownBy(() -> await(onlyV4.ping(new InetSocketAddress("::1", 6881))))
                    .isInstanceOf(ExecutionException.class).hasMessageContaining("no IPv6 socket");
        }
        // An IPv4 socket asked to send to an IPv6 address: the failure is kept and described.
        DhtNode four = v4only.get(4);
        assertThatThrownBy(() -> await(four.ping(new InetSocketAddress("::1", 9))))
                .isInstanceOf(ExecutionException.class);
        assertThat(four.lastSendFailure()).hasValueSatisfying(f -> {
            assertThat(f.noRoute()).isTrue();
            assertThat(f.describe()).startsWith("no IPv6 route to [::1]:9");
        });
    }

    /** The session hooks reach both sockets: a filter claims datagrams of either family, sends leave by family. */
    @Test
    void datagramFilterAndRawSendsWorkOnBothFamiliesSockets() throws Exception {
        try (DualStackNode n = DualStackNode.start(config4(0), config6(0));
             DatagramSocket peer4 = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
             DatagramSocket peer6 = new DatagramSocket(new InetSocketAddress("::1", 0))) {
            java.util.concurrent.BlockingQueue<String> claimed = new java.util.concurrent.LinkedBlockingQueue<>();
            n.setDatagramFilter((buffer, length, from) -> {
                String text = new String(buffer, 0, length, StandardCharsets.US_ASCII);
                if (!text.startsWith("session:")) {
                    return false; // KRPC goes on to the DHT
                }
                claimed.add(text + (from.getAddress() instanceof Inet6Address ? " v6" : " v4"));
                return true;
            });
            for (DatagramSocket peer : List.of(peer4, peer6)) {
                InetSocketAddress to = peer == peer4 ? n.ipv4().orElseThrow().localAddress() : n.ipv6().orElseThrow().localAddress();
                byte[] hello = "session:hello".getBytes(StandardCharsets.US_ASCII);
                peer.send(new DatagramPacket(hello, hello.length, to));
            }
            assertThat(List.of(claimed.poll(10, TimeUnit.SECONDS), claimed.poll(10, TimeUnit.SECONDS)))
                    .containsExactlyInAnyOrder("session:hello v4", "session:hello v6");
            // KRPC still reaches both nodes past the filter.
            assertThat(await(v4only.get(0).ping(n.ipv4().orElseThrow().localAddress()))).isEqualTo(n.ipv4().orElseThrow().id());
            assertThat(await(v6only.get(0).ping(n.ipv6().orElseThrow().localAddress()))).isEqualTo(n.ipv6().orElseThrow().id());
            // Raw sends leave from the socket of the destination's family.
            for (DatagramSocket peer : List.of(peer4, peer6)) {
                n.sendDatagram("session:reply".getBytes(StandardCharsets.US_ASCII), (InetSocketAddress) peer.getLocalSocketAddress());
                peer.setSoTimeout(10_000);
                DatagramPacket got = new DatagramPacket(new byte[64], 64);
                peer.receive(got);
                assertThat(new String(got.getData(), 0, got.getLength(), StandardCharsets.US_ASCII)).isEqualTo("session:reply");
                DhtNode family = peer == peer4 ? n.ipv4().orElseThrow() : n.ipv6().orElseThrow();
                assertThat(got.getPort()).isEqualTo(family.localAddress().getPort());
            }
            assertThat(n.terminated()).isNotDone();
            assertThat(n.failure()).isEmpty();
            n.close();
            n.terminated().get(10, TimeUnit.SECONDS); // completes normally once both families closed
        }
    }
}
