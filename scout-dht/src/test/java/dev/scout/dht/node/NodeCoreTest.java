package dev.scout.dht.node;

import dev.scout.dht.lookup.RpcCallback;

import dev.scout.dht.DhtConfig;
import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.krpc.KrpcCodec;
import dev.scout.dht.krpc.KrpcDecodeException;
import dev.scout.dht.krpc.KrpcError;
import dev.scout.dht.krpc.KrpcMessage;
import dev.scout.dht.krpc.KrpcQuery;
import dev.scout.dht.krpc.KrpcResponse;
import dev.scout.dht.krpc.Query;
import dev.scout.dht.krpc.Want;
import dev.scout.dht.routing.NodeState;
import dev.scout.dht.routing.RoutingTable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The sans-IO node driven directly: a fake clock, a capturing outbox, datagrams in, datagrams out. */
class NodeCoreTest {
    static final NodeId OWN = NodeId.parse("8000000000000000000000000000000000000000");
    static final long TIMEOUT = 5_000;

    final AtomicLong clock = new AtomicLong(10_000_000);
    final List<Sent> sent = new ArrayList<>();
    final Random random = new Random(1);

    record Sent(byte[] data, InetSocketAddress to) {
        KrpcMessage message() {
            try {
                return KrpcCodec.decode(data);
            } catch (KrpcDecodeException e) {
                throw new AssertionError("the node sent an undecodable datagram: "
                        + new String(data, StandardCharsets.ISO_8859_1), e);
            }
        }
    }

    /** Records every outcome of one request. */
    static final class Recorder implements RpcCallback {
        final List<KrpcResponse> responses = new ArrayList<>();
        final List<KrpcError> errors = new ArrayList<>();
        int timeouts;
        int slow;

        @Override
        public void onResponse(KrpcResponse response, long rttMillis) {
            responses.add(response);
        }

        @Override
        public void onError(KrpcError error) {
            errors.add(error);
        }

        @Override
        public void onTimeout() {
            timeouts++;
        }

        @Override
        public void onSlow() {
            slow++;
        }

        int outcomes() {
            return responses.size() + errors.size() + timeouts;
        }
    }

    static DhtConfig.Builder config() {
        return DhtConfig.builder().bootstrap(List.of()).requestTimeoutMillis(TIMEOUT);
    }

    NodeCore core;

    @BeforeEach
    void setUp() {
        core = newCore(config().build());
    }

    NodeCore newCore(DhtConfig config) {
        return new NodeCore(OWN, config, clock::get, new Random(7), (data, to) -> sent.add(new Sent(data.clone(), to)));
    }

    static InetSocketAddress addr(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    void deliver(KrpcMessage m, InetSocketAddress from) {
        deliver(core, m, from);
    }

    static void deliver(NodeCore node, KrpcMessage m, InetSocketAddress from) {
        byte[] wire = KrpcCodec.encode(m);
        node.handleDatagram(wire, wire.length, from);
    }

    void deliverRaw(String wire, InetSocketAddress from) {
        byte[] b = bytes(wire);
        core.handleDatagram(b, b.length, from);
    }

    KrpcQuery query(String t, NodeId sender, Query q) {
        return new KrpcQuery(bytes(t), sender, q, false, null);
    }

    /** The one datagram sent since the last call, which must go to {@code to}. */
    KrpcMessage onlyReplyTo(InetSocketAddress to) {
        assertThat(sent).hasSize(1);
        Sent s = sent.remove(0);
        assertThat(s.to()).isEqualTo(to);
        return s.message();
    }

    /** The last query sent to {@code to}. */
    KrpcQuery lastQueryTo(InetSocketAddress to) {
        for (int i = sent.size() - 1; i >= 0; i--) {
            if (sent.get(i).to().equals(to) && sent.get(i).message() instanceof KrpcQuery q) {
                return q;
            }
        }
        throw new AssertionError("no query sent to " + to);
    }

    /** Puts {@code node} in the routing table the only way there is: it answers one of our queries. */
    void addToTable(NodeCore node, NodeInfo n) {
        Recorder r = new Recorder();
        node.request(n.address(), new Query.Ping(), r);
        KrpcQuery ping = lastQueryTo(n.address());
        deliver(node, KrpcResponse.simple(ping.transactionId(), n.id()), n.address());
        assertThat(r.responses).hasSize(1);
        sent.clear();
    }

    void advance(long millis) {
        clock.addAndGet(millis);
        core.tick();
    }

    // ---- answering queries ---------------------------------------------------------------------

    @Test
    void pingIsAnsweredWithOurIdAndTheSendersAddress() {
        InetSocketAddress from = addr("203.0.113.5", 51413);
        NodeId them = NodeId.random(random);
        deliver(query("aa", them, new Query.Ping()), from);

        assertThat(sent).isNotEmpty();
        Sent first = sent.get(0);
        assertThat(first.to()).isEqualTo(from);
        KrpcResponse r = (KrpcResponse) first.message();
        assertThat(r.transactionId()).isEqualTo(bytes("aa"));
        assertThat(r.sender()).isEqualTo(OWN);
        assertThat(r.externalIp()).as("BEP 42 ip = the querier's address").isEqualTo(from);
        assertThat(r.clientVersion()).isEqualTo(KrpcCodec.CLIENT_VERSION);
        // An unknown querier is not trusted into the table; it is pinged to verify it answers.
        assertThat(core.routingTable().entry(them)).isEmpty();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).to()).isEqualTo(from);
        assertThat(((KrpcQuery) sent.get(1).message()).query()).isEqualTo(new Query.Ping());
        assertThat(core.stats().queriesAnswered()).isEqualTo(1);
    }

    @Test
    void verificationPingAnsweredPutsTheQuerierInTheTable() {
        InetSocketAddress from = addr("203.0.113.6", 6881);
        NodeId them = NodeId.random(random);
        deliver(query("aa", them, new Query.Ping()), from);
        KrpcQuery verification = (KrpcQuery) sent.get(1).message();
        assertThat(core.pendingRequests()).isEqualTo(1);
        deliver(KrpcResponse.simple(verification.transactionId(), them), from);
        assertThat(core.pendingRequests()).isZero();
        assertThat(core.routingTable().entry(them)).isPresent();
        assertThat(core.routingTable().entry(them).get().state(clock.get())).isEqualTo(NodeState.GOOD);
    }

    @Test
    void ipv6QuerierGetsItsIpv6AddressBack() {
        InetSocketAddress from = addr("2001:db8::5", 6881);
        deliver(query("zz", NodeId.random(random), new Query.Ping()), from);
        assertThat(((KrpcResponse) sent.get(0).message()).externalIp()).isEqualTo(from);
    }

    @Test
    void readOnlyQueriersAreAnsweredButNotVerified() {
        InetSocketAddress from = addr("203.0.113.7", 6881);
        deliver(new KrpcQuery(bytes("aa"), NodeId.random(random), new Query.Ping(), true, null), from);
        assertThat(onlyReplyTo(from)).isInstanceOf(KrpcResponse.class);
        assertThat(core.pendingRequests()).isZero();
    }

    @Test
    void queriesCarryingOurOwnIdAreIgnored() {
        deliver(query("aa", OWN, new Query.Ping()), addr("203.0.113.8", 6881));
        assertThat(sent).isEmpty();
    }

    @Test
    void findNodeReturnsTheClosestNodesOfTheTable() {
        List<NodeInfo> known = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            NodeInfo n = new NodeInfo(NodeId.random(random), addr("198.51.100." + (i + 1), 6881 + i));
            addToTable(core, n);
            known.add(n);
        }
        NodeId target = NodeId.random(random);
        InetSocketAddress from = addr("203.0.113.9", 6881);
        deliver(query("fn", NodeId.random(random), new Query.FindNode(target, Want.UNSPECIFIED)), from);
        KrpcResponse r = (KrpcResponse) sent.get(0).message();
        List<NodeInfo> expected = core.routingTable().entries().stream().map(e -> e.node())
                .sorted(Comparator.comparing(NodeInfo::id, target::compareDistance)).limit(RoutingTable.K).toList();
        assertThat(r.nodes()).containsExactlyElementsOf(expected);
        assertThat(r.token()).as("find_node hands out no token").isNull();
    }

    @Test
    void findNodeAnswerStaysDecodableWhenTheTableHoldsIpv6Nodes() {
        NodeInfo v4 = new NodeInfo(NodeId.random(random), addr("198.51.100.1", 6881));
        NodeInfo v6 = new NodeInfo(NodeId.random(random), addr("2001:db8::1", 6881));
        addToTable(core, v4);
        addToTable(core, v6);
        InetSocketAddress from = addr("203.0.113.9", 6881);
        deliver(query("fn", NodeId.random(random), new Query.FindNode(NodeId.random(random), Want.UNSPECIFIED)), from);
        KrpcResponse r = (KrpcResponse) sent.get(0).message(); // fails if the datagram does not decode
        assertThat(r.nodes()).containsExactly(v4);
        assertThat(r.nodes6()).containsExactly(v6);
    }

    @Test
    void unknownMethodWithATargetIsAnsweredLikeFindNode() {
        NodeInfo n = new NodeInfo(NodeId.random(random), addr("198.51.100.1", 6881));
        addToTable(core, n);
        InetSocketAddress from = addr("203.0.113.10", 6881);
        deliver(query("uk", NodeId.random(random), new Query.Unknown("vote", NodeId.random(random), Want.UNSPECIFIED)),
                from);
        KrpcResponse r = (KrpcResponse) sent.get(0).message();
        assertThat(r.nodes()).containsExactly(n);
        sent.clear();
        deliver(query("un", NodeId.random(random), new Query.Unknown("vote", null, Want.UNSPECIFIED)), from);
        KrpcError e = (KrpcError) sent.get(0).message();
        assertThat(e.code()).isEqualTo(KrpcError.METHOD_UNKNOWN);
        assertThat(e.transactionId()).isEqualTo(bytes("un"));
    }

    // ---- malformed input -----------------------------------------------------------------------

    @Test
    void malformedQueryWithReadableTransactionIdGetsError203() {
        InetSocketAddress from = addr("203.0.113.11", 6881);
        deliverRaw("d1:ad2:id20:abcdefghij0123456789e1:q9:find_node1:t2:xy1:y1:qe", from); // no target
        KrpcError e = (KrpcError) onlyReplyTo(from);
        assertThat(e.code()).isEqualTo(KrpcError.PROTOCOL);
        assertThat(e.transactionId()).isEqualTo(bytes("xy"));
        deliverRaw("d1:ad2:id19:abcdefghij012345678e1:q4:ping1:t2:ab1:y1:qe", from); // 19-byte id
        KrpcError e2 = (KrpcError) onlyReplyTo(from);
        assertThat(e2.code()).isEqualTo(203);
        assertThat(e2.transactionId()).isEqualTo(bytes("ab"));
        assertThat(core.stats().malformed()).isEqualTo(2);
        assertThat(core.pendingRequests()).isZero();
    }

    @Test
    void garbageGetsNoReply() {
        InetSocketAddress from = addr("203.0.113.12", 6881);
        for (String wire : List.of("", "garbage", "i42e", "le", "d1:t2:aae",
                "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:y1:qe", // no t
                "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:q", // truncated
                "d1:t2:aa1:y1:re", // response without r
                "d1:eli201e3:boee1:t2:aa1:y1:ee")) { // an error nobody asked for
            deliverRaw(wire, from);
        }
        assertThat(sent).isEmpty();
        assertThat(core.pendingRequests()).isZero();
    }

    @Test
    void datagramsFromPortZeroOrOversizedAreDropped() {
        byte[] ping = KrpcCodec.encode(query("aa", NodeId.random(random), new Query.Ping()));
        core.handleDatagram(ping, ping.length, addr("203.0.113.13", 0));
        core.handleDatagram(new byte[70_000], 70_000, addr("203.0.113.13", 1));
        assertThat(sent).isEmpty();
        // the same ping from a real port is answered
        core.handleDatagram(ping, ping.length, addr("203.0.113.13", 1));
        assertThat(sent).isNotEmpty();
    }

    @Test
    void onlyTheGivenLengthOfTheBufferIsRead() {
        byte[] ping = KrpcCodec.encode(query("aa", NodeId.random(random), new Query.Ping()));
        byte[] buffer = Arrays.copyOf(ping, ping.length + 100);
        Arrays.fill(buffer, ping.length, buffer.length, (byte) 'x');
        core.handleDatagram(buffer, ping.length, addr("203.0.113.14", 6881));
        assertThat(sent.get(0).message()).isInstanceOf(KrpcResponse.class);
    }

    // ---- our requests --------------------------------------------------------------------------

    @Test
    void responsesWithUnknownTransactionIdOrFromTheWrongAddressAreIgnored() {
        InetSocketAddress peer = addr("198.51.100.20", 6881);
        NodeId peerId = NodeId.random(random);
        Recorder r = new Recorder();
        core.request(peer, new Query.Ping(), r);
        KrpcQuery q = (KrpcQuery) onlyReplyTo(peer);
        assertThat(q.sender()).isEqualTo(OWN);
        assertThat(q.transactionId()).hasSize(2);
        byte[] t = q.transactionId();

        deliver(KrpcResponse.simple(t, peerId), addr("198.51.100.21", 6881)); // wrong IP
        deliver(KrpcResponse.simple(t, peerId), addr("198.51.100.20", 6882)); // wrong port
        byte[] otherT = {t[0], (byte) (t[1] + 1)};
        deliver(KrpcResponse.simple(otherT, peerId), peer); // unknown transaction
        deliver(KrpcResponse.simple(Arrays.copyOf(t, 3), peerId), peer); // not one of our ids
        deliver(new KrpcError(otherT, 201, "nope"), peer);
        assertThat(r.outcomes()).isZero();
        assertThat(core.pendingRequests()).isEqualTo(1);
        assertThat(core.routingTable().size()).isZero();
        assertThat(sent).isEmpty();

        deliver(KrpcResponse.simple(t, peerId), peer);
        assertThat(r.responses).hasSize(1);
        assertThat(r.responses.get(0).sender()).isEqualTo(peerId);
        assertThat(core.pendingRequests()).isZero();
        assertThat(core.routingTable().entry(peerId)).isPresent();

        deliver(KrpcResponse.simple(t, peerId), peer); // a duplicate
        assertThat(r.outcomes()).isEqualTo(1);
    }

    @Test
    void unansweredRequestTimesOutOnceAfterRequestTimeout() {
        InetSocketAddress peer = addr("198.51.100.30", 6881);
        Recorder r = new Recorder();
        long start = clock.get();
        core.request(peer, new Query.FindNode(NodeId.random(random), Want.UNSPECIFIED), r);
        assertThat(core.nextDeadline()).isGreaterThan(start).isLessThanOrEqualTo(start + TIMEOUT);

        advance(TIMEOUT - 1);
        assertThat(r.timeouts).isZero();
        assertThat(r.slow).as("the soft timeout passed").isEqualTo(1);
        assertThat(core.pendingRequests()).isEqualTo(1);
        assertThat(core.nextDeadline()).isEqualTo(start + TIMEOUT);

        advance(1);
        assertThat(r.timeouts).isEqualTo(1);
        assertThat(r.outcomes()).isEqualTo(1);
        assertThat(core.pendingRequests()).isZero();
        assertThat(core.stats().timeouts()).isEqualTo(1);
        assertThat(core.nextDeadline()).isEqualTo(Long.MAX_VALUE);

        advance(10 * TIMEOUT);
        KrpcQuery q = lastQueryTo(peer);
        deliver(KrpcResponse.simple(q.transactionId(), NodeId.random(random)), peer); // too late
        assertThat(r.timeouts).isEqualTo(1);
        assertThat(r.responses).isEmpty();
        assertThat(r.slow).isEqualTo(1);
    }

    @Test
    void answeredRequestDoesNotTimeOutLater() {
        InetSocketAddress peer = addr("198.51.100.31", 6881);
        Recorder r = new Recorder();
        core.request(peer, new Query.Ping(), r);
        advance(100);
        deliver(KrpcResponse.simple(lastQueryTo(peer).transactionId(), NodeId.random(random)), peer);
        advance(10 * TIMEOUT);
        assertThat(r.responses).hasSize(1);
        assertThat(r.timeouts).isZero();
        assertThat(r.slow).isZero();
    }

    @Test
    void errorReplyEndsTheRequest() {
        InetSocketAddress peer = addr("198.51.100.32", 6881);
        Recorder r = new Recorder();
        core.request(peer, new Query.Ping(), r);
        deliver(new KrpcError(lastQueryTo(peer).transactionId(), 202, "busy"), peer);
        assertThat(r.errors).singleElement().satisfies(e -> assertThat(e.code()).isEqualTo(202));
        assertThat(core.pendingRequests()).isZero();
        advance(2 * TIMEOUT);
        assertThat(r.outcomes()).isEqualTo(1);
    }

    @Test
    void timeoutsOfAKnownNodeMakeItBad() {
        NodeInfo n = new NodeInfo(NodeId.random(random), addr("198.51.100.33", 6881));
        addToTable(core, n);
        for (int i = 0; i < 2; i++) {
            core.request(n, new Query.Ping(), new Recorder());
            advance(TIMEOUT);
        }
        assertThat(core.routingTable().entry(n.id()).orElseThrow().state(clock.get())).isEqualTo(NodeState.BAD);
        assertThat(core.closest(n.id(), 8)).doesNotContain(n);
    }

    @Test
    void externalAddressIsLearnedFromResponses() {
        InetSocketAddress me = addr("192.0.2.99", 6881);
        assertThat(core.externalAddress()).isNull();
        for (int i = 1; i <= 3; i++) {
            InetSocketAddress peer = addr("198.51.100." + (40 + i), 6881);
            core.request(peer, new Query.Ping(), new Recorder());
            deliver(KrpcResponse.simple(lastQueryTo(peer).transactionId(), NodeId.random(random))
                    .withExternalIp(me, null), peer);
        }
        assertThat(core.externalAddress()).isEqualTo(me);
    }

    // ---- announce_peer -------------------------------------------------------------------------

    @Test
    void announceWithABadTokenIsRefusedAndStoresNothing() {
        NodeId infoHash = NodeId.random(random);
        InetSocketAddress from = addr("203.0.113.20", 40000);
        deliver(query("a1", NodeId.random(random), new Query.AnnouncePeer(infoHash, 6881, bytes("12345678"), false)),
                from);
        KrpcError e = (KrpcError) sent.get(0).message();
        assertThat(sent.get(0).to()).isEqualTo(from);
        assertThat(e.code()).isEqualTo(KrpcError.PROTOCOL);
        assertThat(e.transactionId()).isEqualTo(bytes("a1"));
        assertThat(core.peerStore().peerCount()).isZero();

        // a valid token, but issued to another IP
        sent.clear();
        InetSocketAddress other = addr("203.0.113.21", 40000);
        deliver(query("g1", NodeId.random(random), new Query.GetPeers(infoHash, Want.UNSPECIFIED)), other);
        byte[] othersToken = ((KrpcResponse) sent.get(0).message()).token();
        sent.clear();
        deliver(query("a2", NodeId.random(random), new Query.AnnouncePeer(infoHash, 6881, othersToken, false)), from);
        assertThat(sent.get(0).message()).isInstanceOf(KrpcError.class);
        assertThat(core.peerStore().peerCount()).isZero();
    }

    @Test
    void getPeersThenAnnounceStoresThePeerWithTheImpliedPort() {
        NodeId infoHash = NodeId.random(random);
        InetSocketAddress from = addr("203.0.113.30", 51413);
        NodeId them = NodeId.random(random);
        deliver(query("g1", them, new Query.GetPeers(infoHash, Want.UNSPECIFIED)), from);
        KrpcResponse got = (KrpcResponse) sent.get(0).message();
        assertThat(got.token()).isNotNull();
        assertThat(got.values()).isEmpty();
        sent.clear();

        clock.addAndGet(60_000);
        deliver(query("a1", them, new Query.AnnouncePeer(infoHash, 0, got.token(), true)), from);
        KrpcResponse ok = (KrpcResponse) sent.get(0).message();
        assertThat(ok.transactionId()).isEqualTo(bytes("a1"));
        assertThat(core.peerStore().peers(infoHash, 10, clock.get(), random)).containsExactly(from);

        // another querier now gets the peer in values
        sent.clear();
        InetSocketAddress asker = addr("203.0.113.31", 6881);
        deliver(query("g2", NodeId.random(random), new Query.GetPeers(infoHash, Want.UNSPECIFIED)), asker);
        assertThat(((KrpcResponse) sent.get(0).message()).values()).containsExactly(from);
    }

    @Test
    void announceWithAnExplicitPortStoresThatPort() {
        NodeId infoHash = NodeId.random(random);
        InetSocketAddress from = addr("203.0.113.32", 51413);
        deliver(query("g1", NodeId.random(random), new Query.GetPeers(infoHash, Want.UNSPECIFIED)), from);
        byte[] token = ((KrpcResponse) sent.get(0).message()).token();
        deliver(query("a1", NodeId.random(random), new Query.AnnouncePeer(infoHash, 6881, token, false)), from);
        assertThat(core.peerStore().peers(infoHash, 10, clock.get(), random))
                .containsExactly(addr("203.0.113.32", 6881));
    }

    @Test
    void tokenStillWorksFiveMinutesLaterButNotElevenMinutesLater() {
        NodeId infoHash = NodeId.random(random);
        InetSocketAddress from = addr("203.0.113.33", 51413);
        deliver(query("g1", NodeId.random(random), new Query.GetPeers(infoHash, Want.UNSPECIFIED)), from);
        byte[] token = ((KrpcResponse) sent.get(0).message()).token();
        sent.clear();
        advance(6 * 60_000);
        deliver(query("a1", NodeId.random(random), new Query.AnnouncePeer(infoHash, 1, token, false)), from);
        assertThat(sent.get(0).message()).isInstanceOf(KrpcResponse.class);
        sent.clear();
        advance(5 * 60_000);
        deliver(query("a2", NodeId.random(random), new Query.AnnouncePeer(infoHash, 2, token, false)), from);
        assertThat(sent.get(0).message()).isInstanceOf(KrpcError.class);
        assertThat(core.peerStore().peers(infoHash, 10, clock.get(), random)).containsExactly(addr("203.0.113.33", 1));
    }

    // ---- read-only (BEP 43) --------------------------------------------------------------------

    @Test
    void readOnlyNodeAnswersNothingAndFlagsItsQueries() {
        NodeCore ro = newCore(config().readOnly(true).build());
        InetSocketAddress from = addr("203.0.113.40", 6881);
        deliver(ro, query("aa", NodeId.random(random), new Query.Ping()), from);
        deliver(ro, query("ab", NodeId.random(random), new Query.GetPeers(NodeId.random(random), Want.UNSPECIFIED)),
                from);
        byte[] malformed = bytes("d1:ad2:id20:abcdefghij0123456789e1:q9:find_node1:t2:xy1:y1:qe");
        ro.handleDatagram(malformed, malformed.length, from);
        assertThat(sent).isEmpty();
        assertThat(ro.pendingRequests()).isZero();

        InetSocketAddress peer = addr("198.51.100.50", 6881);
        Recorder r = new Recorder();
        ro.request(peer, new Query.Ping(), r);
        KrpcQuery q = (KrpcQuery) onlyReplyTo(peer);
        assertThat(q.readOnly()).isTrue();
        // it still uses answers to its own queries
        deliver(ro, KrpcResponse.simple(q.transactionId(), NodeId.random(random)), peer);
        assertThat(r.responses).hasSize(1);
    }

    @Test
    void normalNodeDoesNotFlagItsQueriesReadOnly() {
        InetSocketAddress peer = addr("198.51.100.51", 6881);
        core.request(peer, new Query.Ping(), new Recorder());
        assertThat(((KrpcQuery) onlyReplyTo(peer)).readOnly()).isFalse();
    }

    // ---- hostile traffic -----------------------------------------------------------------------

    @Test
    void tenThousandRandomDatagramsNeitherThrowNorGrowPendingRequests() {
        Random r = new Random(2024);
        byte[] validPing = KrpcCodec.encode(query("aa", NodeId.random(r), new Query.Ping()));
        for (int i = 0; i < 10_000; i++) {
            byte[] data;
            switch (r.nextInt(3)) {
                case 0 -> {
                    data = new byte[r.nextInt(200)];
                    r.nextBytes(data);
                }
                case 1 -> { // a valid ping with a few corrupted bytes
                    data = validPing.clone();
                    for (int k = 1 + r.nextInt(3); k > 0; k--) {
                        data[r.nextInt(data.length)] = (byte) r.nextInt();
                    }
                }
                default -> { // a random response or error to a random two-byte transaction id
                    byte[] t = {(byte) r.nextInt(), (byte) r.nextInt()};
                    data = KrpcCodec.encode(r.nextBoolean() ? KrpcResponse.simple(t, NodeId.random(r))
                            : new KrpcError(t, 201, "x"));
                }
            }
            InetSocketAddress from = addr("100.64." + r.nextInt(256) + "." + r.nextInt(256), 1 + r.nextInt(65535));
            boolean validQuery;
            try {
                validQuery = KrpcCodec.decode(data) instanceof KrpcQuery;
            } catch (KrpcDecodeException e) {
                validQuery = false;
            }
            int before = sent.size();
            int pendingBefore = core.pendingRequests();
            core.handleDatagram(data, data.length, from); // must not throw
            for (Sent s : sent.subList(before, sent.size())) {
                assertThat(s.to()).as("replies only go back to the source").isEqualTo(from);
            }
            assertThat(sent.size() - before).isLessThanOrEqualTo(2);
            // only a well-formed query from a stranger may start a request: the verification ping
            assertThat(core.pendingRequests()).isLessThanOrEqualTo(pendingBefore + (validQuery ? 1 : 0))
                    .isLessThanOrEqualTo(32);
        }
        advance(TIMEOUT);
        assertThat(core.pendingRequests()).isZero();
        assertThat(core.stats().received()).isEqualTo(10_000);
        assertThat(core.stats().malformed()).isGreaterThan(3_000);
    }

    @Test
    void aFloodOfValidQueriesFromStrangersKeepsVerificationsBounded() {
        Random r = new Random(99);
        for (int i = 0; i < 10_000; i++) {
            InetSocketAddress from = addr("100.64." + r.nextInt(256) + "." + r.nextInt(256), 1 + r.nextInt(65535));
            deliver(query("q" + (char) r.nextInt(256), NodeId.random(r), new Query.FindNode(NodeId.random(r),
                    Want.UNSPECIFIED)), from);
            assertThat(core.pendingRequests()).isLessThanOrEqualTo(32);
            if (i % 1000 == 999) {
                advance(TIMEOUT); // the verifications time out, making room for new ones
                assertThat(core.pendingRequests()).isZero();
            }
        }
        assertThat(core.routingTable().size()).as("nobody answered a verification ping").isZero();
    }
}
