package dev.scout.dht.node;

import dev.scout.dht.node.address.Bep42Rekey;
import dev.scout.dht.routing.Bep42;
import dev.scout.dht.DhtConfig;
import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.krpc.KrpcQuery;
import dev.scout.dht.krpc.KrpcResponse;
import dev.scout.dht.krpc.Query;
import dev.scout.dht.routing.RoutingEntry;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static dev.scout.dht.node.NodeCoreTest.addr;
import static dev.scout.dht.node.NodeCoreTest.deliver;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * BEP 42 re-keying of our own id ({@link Bep42Rekey}), on the sans-IO core: responders report our
 * external address in {@code ip}; once it is settled and our id does not conform, the node takes a
 * conforming id, re-buckets its table, announces itself with a find_node of the new id and tells its
 * driver (which saves the id).
 */
class Bep42RekeyTest {
    static final InetSocketAddress ME = addr("203.0.113.7", 6881);
    static final InetSocketAddress ME_ELSEWHERE = addr("198.51.100.200", 6881);
    static final InetSocketAddress ME_V6 = addr("2001:db8::7", 6881);

    final AtomicLong clock = new AtomicLong(10_000_000);
    final List<NodeCoreTest.Sent> sent = new ArrayList<>();
    final Random random = new Random(42);
    final AtomicInteger idChanges = new AtomicInteger();
    int nextVoter;

    NodeCore core(DhtConfig config, InetSocketAddress nonConformingFor) {
        NodeId id;
        do {
            id = NodeId.random(random);
        } while (Bep42.isValid(id, nonConformingFor.getAddress()));
        NodeCore core = new NodeCore(id, config, clock::get, new Random(7),
                (data, to) -> sent.add(new NodeCoreTest.Sent(data.clone(), to)));
        core.onIdChange(idChanges::incrementAndGet);
        return core;
    }

    NodeCore core() {
        return core(NodeCoreTest.config().build(), ME);
    }

    /** A new responder (its own IP) answers a ping of ours, reporting {@code reported} as our address. */
    NodeInfo vote(NodeCore core, InetSocketAddress reported) {
        int n = ++nextVoter;
        InetSocketAddress voter = reported.getAddress() instanceof java.net.Inet6Address
                ? addr("2001:db8:1::" + Integer.toHexString(n), 6881) : addr("192.0.2." + n, 6881);
        return vote(core, voter, reported);
    }

    NodeInfo vote(NodeCore core, InetSocketAddress voter, InetSocketAddress reported) {
        NodeInfo node = new NodeInfo(NodeId.random(random), voter);
        core.request(voter, new Query.Ping(), new NodeCoreTest.Recorder());
        KrpcQuery ping = lastQueryTo(voter);
        deliver(core, KrpcResponse.simple(ping.transactionId(), node.id()).withExternalIp(reported, null), voter);
        return node;
    }

    KrpcQuery lastQueryTo(InetSocketAddress to) {
        for (int i = sent.size() - 1; i >= 0; i--) {
            if (sent.get(i).to().equals(to) && sent.get(i).message() instanceof KrpcQuery q) {
                return q;
            }
        }
        throw new AssertionError("no query sent to " + to);
    }

    @Test
    void aNodeWithARandomIdReKeysOnceItsExternalAddressIsSettled() {
        NodeCore core = core();
        NodeId before = core.ownId();
        List<NodeInfo> voters = new ArrayList<>();
        for (int i = 1; i < Bep42Rekey.MIN_VOTERS; i++) {
            voters.add(vote(core, ME));
        }
        assertThat(core.externalAddress()).isEqualTo(ME);
        assertThat(core.ownId()).as("too few voters: not settled yet").isEqualTo(before);

        sent.clear();
        voters.add(vote(core, ME));

        NodeId after = core.ownId();
        assertThat(after).isNotEqualTo(before);
        assertThat(Bep42.isValid(after, ME.getAddress())).as("the new id conforms to BEP 42").isTrue();
        assertThat(idChanges).as("the driver is told once, to save the id").hasValue(1);
        assertThat(core.routingTable().ownId()).isEqualTo(after);
        assertThat(core.routingTable().entries()).extracting(RoutingEntry::node)
                .as("every contact kept, re-bucketed under the new id").containsExactlyInAnyOrderElementsOf(voters);
        assertThat(core.closest(after, 8)).containsExactlyInAnyOrderElementsOf(voters);
        List<KrpcQuery> findNodes = sent.stream().map(NodeCoreTest.Sent::message)
                .filter(m -> m instanceof KrpcQuery q && q.query() instanceof Query.FindNode).map(m -> (KrpcQuery) m)
                .toList();
        assertThat(findNodes).as("re-announced: a find_node of the new id to the contacts").isNotEmpty()
                .allSatisfy(q -> {
                    assertThat(((Query.FindNode) q.query()).target()).isEqualTo(after);
                    assertThat(q.sender()).isEqualTo(after);
                });

        // answers now carry the new id
        sent.clear();
        InetSocketAddress querier = addr("198.51.100.9", 7000);
        deliver(core, new KrpcQuery(new byte[] {9, 9}, NodeId.random(random), new Query.Ping(), false, null), querier);
        KrpcResponse pong = (KrpcResponse) sent.stream().filter(s -> s.to().equals(querier)).findFirst().orElseThrow()
                .message();
        assertThat(pong.sender()).isEqualTo(after);
    }

    @Test
    void behindASymmetricNatEachResponderSeesAnotherPortButTheIpSettles() {
        NodeCore core = core();
        for (int i = 0; i < Bep42Rekey.MIN_VOTERS; i++) {
            vote(core, new InetSocketAddress(ME.getAddress(), 40_000 + i));
        }
        assertThat(Bep42.isValid(core.ownId(), ME.getAddress())).isTrue();
        assertThat(idChanges).hasValue(1);
    }

    @Test
    void aConformingIdIsKept() {
        NodeId conforming = Bep42.idFor(ME.getAddress(), random);
        NodeCore core = new NodeCore(conforming, NodeCoreTest.config().build(), clock::get, new Random(7),
                (data, to) -> sent.add(new NodeCoreTest.Sent(data.clone(), to)));
        core.onIdChange(idChanges::incrementAndGet);
        for (int i = 0; i < 2 * Bep42Rekey.MIN_VOTERS; i++) {
            vote(core, ME);
        }
        assertThat(core.ownId()).isEqualTo(conforming);
        assertThat(idChanges).hasValue(0);
    }

    @Test
    void aPluralityWithoutAMajorityIsNotSettled() {
        NodeCore core = core();
        NodeId before = core.ownId();
        InetSocketAddress third = addr("198.51.100.201", 6881);
        for (int i = 1; i < Bep42Rekey.MIN_VOTERS; i++) {
            vote(core, ME);
            vote(core, ME_ELSEWHERE);
            vote(core, third);
        }
        vote(core, ME); // ME leads with the minimum, but 4 of 10 voters are no majority
        assertThat(core.externalAddress()).isEqualTo(ME);
        assertThat(core.ownId()).isEqualTo(before);
        vote(core, ME);
        vote(core, ME); // 6 of 12: still no majority
        assertThat(core.ownId()).isEqualTo(before);
        vote(core, ME); // 7 of 13
        assertThat(Bep42.isValid(core.ownId(), ME.getAddress())).isTrue();
    }

    @Test
    void voteFlipsDoNotReKeyAgainWithinTheHoldTime() {
        NodeCore core = core();
        List<InetSocketAddress> voters = new ArrayList<>();
        for (int i = 0; i < Bep42Rekey.MIN_VOTERS; i++) {
            voters.add(vote(core, ME).address());
        }
        NodeId first = core.ownId();
        assertThat(Bep42.isValid(first, ME.getAddress())).isTrue();

        // the same responders now all report another address (e.g. a new NAT mapping): settled, but held
        for (InetSocketAddress v : voters) {
            vote(core, v, ME_ELSEWHERE);
        }
        assertThat(core.externalAddress()).isEqualTo(ME_ELSEWHERE);
        assertThat(core.ownId()).as("at most one re-key per hold time").isEqualTo(first);

        // flipping back to the address the id conforms to changes nothing either
        for (InetSocketAddress v : voters) {
            vote(core, v, ME);
        }
        assertThat(core.ownId()).isEqualTo(first);
        assertThat(idChanges).hasValue(1);

        // once the hold is over, a settled new address re-keys on the next vote
        clock.addAndGet(Bep42Rekey.HOLD_MILLIS);
        for (InetSocketAddress v : voters) {
            vote(core, v, ME_ELSEWHERE);
        }
        assertThat(Bep42.isValid(core.ownId(), ME_ELSEWHERE.getAddress())).isTrue();
        assertThat(idChanges).hasValue(2);
    }

    @Test
    void privateAndLoopbackAddressesNeverReKey() {
        NodeCore core = core();
        NodeId before = core.ownId();
        for (int i = 0; i < 2 * Bep42Rekey.MIN_VOTERS; i++) {
            vote(core, addr("192.168.1.20", 6881));
        }
        assertThat(core.ownId()).isEqualTo(before);
        assertThat(idChanges).hasValue(0);
    }

    @Test
    void anIdGivenInTheConfigIsNeverChanged() {
        NodeId fixed;
        do {
            fixed = NodeId.random(random);
        } while (Bep42.isValid(fixed, ME.getAddress()));
        NodeCore core = new NodeCore(fixed, NodeCoreTest.config().nodeId(fixed).build(), clock::get, new Random(7),
                (data, to) -> sent.add(new NodeCoreTest.Sent(data.clone(), to)));
        for (int i = 0; i < 2 * Bep42Rekey.MIN_VOTERS; i++) {
            vote(core, ME);
        }
        assertThat(core.ownId()).isEqualTo(fixed);
    }

    @Test
    void anIpv6NodeReKeysForItsIpv6Address() {
        NodeCore core = core(NodeCoreTest.config().bindAddress(new InetSocketAddress("::", 0)).build(), ME_V6);
        for (int i = 0; i < Bep42Rekey.MIN_VOTERS; i++) {
            vote(core, ME_V6);
        }
        assertThat(Bep42.isValid(core.ownId(), ME_V6.getAddress())).as("BEP 42 with the IPv6 mask").isTrue();
        assertThat(idChanges).hasValue(1);
    }

    @Test
    void anAddressOfTheOtherFamilyIsIgnored() {
        // an IPv4 node whose responders (liars, or a broken NAT64) report an IPv6 address
        NodeCore core = core(NodeCoreTest.config().build(), ME_V6);
        NodeId before = core.ownId();
        for (int i = 0; i < 2 * Bep42Rekey.MIN_VOTERS; i++) {
            vote(core, addr("192.0.2." + (100 + i), 6881), ME_V6);
        }
        assertThat(core.ownId()).isEqualTo(before);
    }
}
