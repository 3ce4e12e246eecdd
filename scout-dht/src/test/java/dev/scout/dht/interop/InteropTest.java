package dev.scout.dht.interop;

import dev.scout.dht.Ed25519PublicKey;
import dev.scout.dht.StoreOutcome;

import dev.scout.dht.Addresses;
import dev.scout.dht.DhtConfig;
import dev.scout.dht.udp.DhtNode;
import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.PutConflictException;
import dev.scout.dht.PutResult;
import dev.scout.dht.bencode.Bencode;
import dev.scout.dht.ImmutableItem;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.MutableItem;
import dev.scout.dht.lookup.StoreRound;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A mixed network on 127.0.0.1 — 10 real libtorrent 2.0.8 nodes and 10 Scout nodes, bootstrapped into
 * one another — checked in both directions for every BEP 5 and BEP 44 operation.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InteropTest {
    static final HexFormat HEX = HexFormat.of();
    static final Base64.Encoder B64 = Base64.getEncoder();
    static final Base64.Decoder B64D = Base64.getDecoder();
    static final int OURS = 10;
    static final int THEIRS = 10;

    static final List<DhtNode> ours = new ArrayList<>();
    static LibtorrentNodes lt;
    static final byte[] ONLY_OURS_VALUE = Bencode.encode(Bencode.bytes("held only by Scout nodes"));
    static final Ed25519KeyPair ONLY_OURS_SIGNER = Ed25519KeyPair.ofSeed(new byte[] {
        9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9});
    static final byte[] ONLY_OURS_SALT = "only-ours".getBytes(StandardCharsets.US_ASCII);
    static PutResult onlyOursImmutable;
    /** The loopback address of the whole network: 127.0.0.1 here, ::1 in {@code Ipv6InteropTest}. */
    static String host = "127.0.0.1";

    /** Runs once per class; {@link Ipv6InteropTest} inherits it and gets the same network on ::1. */
    @BeforeAll
    static void buildMixedNetwork(TestInfo info) throws Exception {
        build(info.getTestClass().orElseThrow() == Ipv6InteropTest.class ? "::1" : "127.0.0.1");
    }

    static void build(String loopbackHost) throws Exception {
        host = loopbackHost;
        DhtConfig.Builder loopback = DhtConfig.builder().bindAddress(new InetSocketAddress(host, 0))
                .bootstrap(List.of()).requestTimeoutMillis(2_000);
        ours.add(DhtNode.start(loopback.build()));
        String seed = Addresses.format(ours.get(0).localAddress());
        for (int i = 1; i < OURS; i++) {
            ours.add(DhtNode.start(loopback.bootstrap(List.of(seed)).build()));
        }
        for (int i = 1; i < OURS; i++) {
            ours.get(i).bootstrapped().get(20, TimeUnit.SECONDS);
        }
        onlyOursImmutable = await(ours.get(0).putImmutable(ImmutableItem.ofBencoded(ONLY_OURS_VALUE)));
        assertThat(onlyOursImmutable.stored()).isGreaterThan(0);
        assertThat(await(ours.get(0).putMutable(MutableItem.sign(ONLY_OURS_SIGNER, ONLY_OURS_SALT, 42, ONLY_OURS_VALUE)))
                .stored()).isGreaterThan(0);
        lt = LibtorrentNodes.start(THEIRS, ours.stream().map(DhtNode::localAddress).toList(), host);
        for (DhtNode n : ours) {
            for (LibtorrentNodes.Node t : lt.nodes()) {
                NodeId id = n.addNode(t.address()).get(10, TimeUnit.SECONDS);
                assertThat(id.toHex()).isEqualTo(t.nodeId());
            }
        }
        for (DhtNode n : ours) {
            n.findNode(n.id()).get(20, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void tearDown() {
        if (lt != null) {
            lt.close();
            lt = null;
        }
        ours.forEach(DhtNode::close);
        ours.clear(); // the IPv6 run (a subclass) builds its own network in this JVM
    }

    static <T> T await(java.util.concurrent.CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    /** Polls a condition until it holds or the deadline passes. */
    static boolean eventually(BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }

    static Set<Integer> ltPorts() {
        return lt.nodes().stream().map(n -> n.address().getPort()).collect(Collectors.toSet());
    }

    static Set<Integer> ourPorts() {
        return ours.stream().map(n -> n.localAddress().getPort()).collect(Collectors.toSet());
    }

    // ---- BEP 5 --------------------------------------------------------------------------------

    @Test
    void pingAndRoutingTablesInBothDirections() throws Exception {
        LibtorrentNodes.Node theirs = lt.node(4);
        assertThat(await(ours.get(2).ping(theirs.address())).toHex()).isEqualTo(theirs.nodeId());

        // Our tables hold libtorrent nodes ...
        List<NodeInfo> table = await(ours.get(5).routingTable());
        assertThat(table).anyMatch(n -> ltPorts().contains(n.address().getPort()));
        // ... and theirs hold ours (libtorrent only keeps nodes that answered its queries).
        for (int i = 0; i < THEIRS; i++) {
            int node = i;
            assertThat(eventually(() -> {
                try {
                    List<?> nodes = (List<?>) lt.ok("routing_table", "node", node).get("nodes");
                    return nodes.stream().map(o -> (String) ((Map<?, ?>) o).get("addr"))
                            .anyMatch(a -> ourPorts().contains(Integer.parseInt(a.substring(a.lastIndexOf(':') + 1))));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, 20_000)).as("libtorrent node %d has Scout nodes in its routing table", i).isTrue();
        }
    }

    @Test
    void findNodeReachesLibtorrentNodes() throws Exception {
        LibtorrentNodes.Node target = lt.node(7);
        List<NodeInfo> found = await(ours.get(3).findNode(NodeId.parse(target.nodeId())));
        assertThat(found.get(0).id().toHex()).isEqualTo(target.nodeId());
        assertThat(found.get(0).address()).isEqualTo(target.address());
        // The K closest contain both implementations: the lookup walked through libtorrent answers.
        assertThat(found).anyMatch(n -> ltPorts().contains(n.address().getPort()));
    }

    @Test
    void libtorrentAnnounceIsFoundByScout() throws Exception {
        NodeId infoHash = NodeId.random();
        Map<String, Object> announced = lt.ok("announce", "node", 1, "info_hash", infoHash.toHex());
        int port = ((Number) announced.get("port")).intValue();
        InetSocketAddress expected = new InetSocketAddress(host, port);
        assertThat(eventually(() -> {
            try {
                return await(ours.get(6).getPeers(infoHash)).contains(expected);
            } catch (Exception e) {
                return false;
            }
        }, 30_000)).as("Scout finds the peer libtorrent announced").isTrue();
    }

    @Test
    @SuppressWarnings("unchecked")
    void scoutAnnounceIsFoundByLibtorrent() throws Exception {
        NodeId infoHash = NodeId.random();
        assertThat(await(ours.get(2).announce(infoHash, 7777)).stored()).isGreaterThan(0);
        Map<String, Object> reply = lt.ok("get_peers", "node", 6, "info_hash", infoHash.toHex(),
                "expect", List.of(Addresses.format(new InetSocketAddress(host, 7777))));
        assertThat((List<Object>) reply.get("peers")).contains(Addresses.format(new InetSocketAddress(host, 7777)));
    }

    // ---- BEP 44 immutable ----------------------------------------------------------------------

    @Test
    void immutableItemsInBothDirections() throws Exception {
        byte[] ourValue = Bencode.encode(Bencode.bytes("stored by Scout " + System.nanoTime()));
        PutResult put = await(ours.get(1).putImmutable(ImmutableItem.ofBencoded(ourValue)));
        assertThat(put.stored()).isGreaterThan(0);
        Map<String, Object> got = lt.ok("get_immutable", "node", 8, "target", put.target().toHex());
        assertThat(got.get("found")).isEqualTo(true);
        assertThat(B64D.decode((String) got.get("value_b64"))).isEqualTo(ourValue);

        byte[] theirValue = Bencode.encode(Bencode.dict("from", "libtorrent", "n", System.nanoTime()));
        Map<String, Object> theirPut = lt.ok("put_immutable", "node", 3, "value_b64", B64.encodeToString(theirValue));
        NodeId target = NodeId.parse((String) theirPut.get("target"));
        assertThat(target).isEqualTo(new ImmutableItem(theirValue).target());
        assertThat(await(ours.get(9).getImmutable(target))).hasValue(ImmutableItem.ofBencoded(theirValue));
    }

    // ---- BEP 44 mutable ------------------------------------------------------------------------

    /** BEP 44 test vector 2, stored by libtorrent with the vector's 64-byte expanded key, read by Scout. */
    @Test
    void saltedTestVectorStoredByLibtorrentIsReadByScout() throws Exception {
        String pk = "77ff84905a91936367c01360803104f92432fcd904a43511876df5cdf3e7e548";
        String sk64 = "e06d3183d14159228433ed599221b80bd0a5ce8352e4bdf0262f76786ef1c74d"
                + "b7e7a9fea2c0eb269d61e3b38e450a22e754941ac78479d6c54e1faf6037881d";
        byte[] value = "12:Hello World!".getBytes(StandardCharsets.US_ASCII);
        Map<String, Object> put = lt.ok("put_mutable", "node", 2, "sk64_hex", sk64, "pk_hex", pk,
                "salt_hex", HEX.formatHex("foobar".getBytes(StandardCharsets.US_ASCII)),
                "value_b64", B64.encodeToString(value));
        assertThat(put.get("target")).isEqualTo("411eba73b6f087ca51a3795d9c8c938d365e32c1");
        assertThat(((Number) put.get("seq")).longValue()).isEqualTo(1);

        MutableItem got = await(ours.get(7).getMutable(Ed25519PublicKey.of(HEX.parseHex(pk)), "foobar".getBytes(StandardCharsets.US_ASCII)))
                .orElseThrow();
        assertThat(got.value()).isEqualTo(value);
        assertThat(got.seq()).isEqualTo(1);
        assertThat(got.verify()).isTrue();
        assertThat(HEX.formatHex(got.signature())).isEqualTo("6834284b6b24c3204eb2fea824d82f88883a3d95e8b4a21b8c0ded553d17d17d"
                + "df9a8a7104b1258f30bed3787e6cb896fca78c58f8e03b5f18f14951a87d9a08");
    }

    @Test
    void mutableItemsWithAndWithoutSaltSeqUpdatesAndTypedErrors() throws Exception {
        for (String salt : new String[] {"", "scout-interop"}) {
            byte[] seed = new byte[32];
            new java.util.Random(salt.length()).nextBytes(seed);
            Ed25519KeyPair signer = Ed25519KeyPair.ofSeed(seed);
            byte[] saltBytes = salt.getBytes(StandardCharsets.UTF_8);

            // Scout writes seq 1; libtorrent reads it.
            PutResult first = await(ours.get(4).putMutable(signer, saltBytes, Bencode.encode(Bencode.bytes("v1 from scout"))));
            assertThat(first.seq()).hasValue(1L);
            Map<String, Object> theirGet = lt.ok("get_mutable", "node", 5, "pk_hex", signer.publicKey().toHex(),
                    "salt_hex", HEX.formatHex(saltBytes), "min_seq", 1);
            assertThat(theirGet.get("found")).isEqualTo(true);
            assertThat(((Number) theirGet.get("seq")).longValue()).isEqualTo(1);
            assertThat(B64D.decode((String) theirGet.get("value_b64"))).isEqualTo(Bencode.encode(Bencode.bytes("v1 from scout")));

            // libtorrent writes the next version (it picks seq = highest + 1); Scout sees the update.
            byte[] v2 = Bencode.encode(Bencode.bytes("v2 from libtorrent"));
            Map<String, Object> theirPut = lt.ok("put_mutable", "node", 6, "seed_hex", HEX.formatHex(seed),
                    "salt_hex", HEX.formatHex(saltBytes), "value_b64", B64.encodeToString(v2));
            assertThat(((Number) theirPut.get("seq")).longValue()).isEqualTo(2);
            MutableItem seen = await(ours.get(8).getMutable(signer.publicKey(), saltBytes)).orElseThrow();
            assertThat(seen.seq()).isEqualTo(2);
            assertThat(seen.value()).isEqualTo(v2);

            // A stale seq is refused by libtorrent storing nodes with 302, reaching us as a typed error.
            // (libtorrent answers an *equal* seq with success; see docs/protocol-notes.md.)
            MutableItem stale = MutableItem.sign(signer, saltBytes, 1, Bencode.encode(Bencode.bytes("stale")));
            assertConflictFromLibtorrent(() -> await(ours.get(1).putMutable(stale)), 302);
            // A cas that names an old seq is refused with 301.
            MutableItem casItem = MutableItem.sign(signer, saltBytes, 5, Bencode.encode(Bencode.bytes("cas")));
            assertConflictFromLibtorrent(() -> await(ours.get(1).putMutable(casItem, 1L)), 301);
        }
    }

    interface Call {
        Object run() throws Exception;
    }

    static void assertConflictFromLibtorrent(Call call, int code) {
        assertThatThrownBy(call::run).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(PutConflictException.class)
                .satisfies(e -> {
                    PutConflictException conflict = (PutConflictException) e;
                    assertThat(conflict.code()).isEqualTo(code);
                    List<StoreOutcome> fromLibtorrent = conflict.result().outcomes().stream()
                            .filter(o -> ltPorts().contains(o.node().address().getPort())).toList();
                    assertThat(fromLibtorrent).as("answers from libtorrent nodes: %s", conflict.result().outcomes()).isNotEmpty()
                            .anyMatch(o -> o.errorCode() == code);
                });
    }

    // ---- libtorrent reads what only Scout nodes hold ----------------------------------------------

    @Test
    void libtorrentGetsItemsThatOnlyScoutNodesHold() throws Exception {
        // Stored before any libtorrent node existed, so only Scout nodes hold them.
        Map<String, Object> got = lt.ok("get_immutable", "node", 9, "target", onlyOursImmutable.target().toHex());
        assertThat(got.get("found")).isEqualTo(true);
        assertThat(B64D.decode((String) got.get("value_b64"))).isEqualTo(ONLY_OURS_VALUE);

        Map<String, Object> mgot = lt.ok("get_mutable", "node", 3, "pk_hex", ONLY_OURS_SIGNER.publicKey().toHex(),
                "salt_hex", HEX.formatHex(ONLY_OURS_SALT));
        assertThat(mgot.get("found")).isEqualTo(true);
        assertThat(mgot.get("authoritative")).isEqualTo(true);
        assertThat(((Number) mgot.get("seq")).longValue()).isEqualTo(42);
        assertThat(B64D.decode((String) mgot.get("value_b64"))).isEqualTo(ONLY_OURS_VALUE);
    }

    /** Runs last: nothing libtorrent sent during the whole suite was rejected by our strict decoder. */
    @Test
    @Order(Integer.MAX_VALUE)
    void everyLibtorrentDatagramDecoded() throws Exception {
        long received = 0;
        for (DhtNode n : ours) {
            var stats = await(n.stats());
            assertThat(stats.malformed()).as("malformed datagrams at %s", n.localAddress()).isZero();
            received += stats.received();
        }
        assertThat(received).isGreaterThan(100);
    }
}
