package dev.scout.dht.node;

import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.krpc.KrpcMessage;
import dev.scout.dht.krpc.KrpcResponse;
import dev.scout.dht.krpc.Query;
import dev.scout.dht.krpc.Want;
import dev.scout.dht.routing.RoutingTable;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * BEP 32 for a core bound to one address family. A dual-stack node is two cores, one per family (as in
 * libtorrent), each with its own socket, routing table, external address and BEP 42 id; this policy is
 * where one core meets the other family:
 *
 * <ul>
 *   <li>outgoing lookups send {@code want} naming our family, plus the other family while the sibling's
 *       table is thin, so a dual-stack node can fill its IPv6 table from IPv4 answers and vice versa;
 *   <li>answers honour the querier's {@code want}: the other family's contacts come from the sibling;
 *   <li>contacts of the other family in answers never become our lookup candidates (our socket cannot
 *       reach them); they go to the sibling, which verifies them with a ping;
 *   <li>datagrams from the other family (an IPv4-mapped source on a dual-stack IPv6 socket) are dropped.
 * </ul>
 * A core without a sibling behaves as before BEP 32 mattered: no {@code want} sent (the answer is then
 * of our family), every source and contact accepted.
 */
public final class FamilyPolicy {
    /**
     * The other family's core as seen from this one; called on this core's loop, so implementations
     * must be thread-safe and quick.
     */
    public interface Sibling {
        /** The closest contacts of the other family that the sibling knows (a recent snapshot). */
        List<NodeInfo> closest(NodeId target, int count);

        /** True while the sibling would like more contacts of its family. */
        boolean wantsContacts();

        /** Contacts of the sibling's family seen in answers to us. */
        void learned(List<NodeInfo> contacts);
    }

    private final boolean ipv6;
    private Sibling sibling;

    public FamilyPolicy(boolean ipv6) {
        this.ipv6 = ipv6;
    }

    /** The family of the socket a core is bound to. */
    public static FamilyPolicy forBindAddress(InetSocketAddress bind) {
        return new FamilyPolicy(bind != null && bind.getAddress() instanceof Inet6Address);
    }

    public boolean ipv6() {
        return ipv6;
    }

    public void sibling(Sibling sibling) {
        this.sibling = sibling;
    }

    /** True for a source this core should handle: any while single-family, else one of our family. */
    public boolean accepts(InetSocketAddress from) {
        return sibling == null || ours(from);
    }

    private boolean ours(InetSocketAddress a) {
        return (a.getAddress() instanceof Inet6Address) == ipv6;
    }

    /** The query with {@code want} filled in where the lookup left it unspecified. */
    public Query outgoing(Query q) {
        if (sibling == null) {
            return q; // single family: no want means our family (BEP 32)
        }
        boolean other = sibling.wantsContacts();
        Want want = new Want(!ipv6 || other, ipv6 || other);
        if (q instanceof Query.FindNode f && !f.want().specified()) {
            return new Query.FindNode(f.target(), want);
        }
        if (q instanceof Query.GetPeers g && !g.want().specified()) {
            return new Query.GetPeers(g.infoHash(), want);
        }
        if (q instanceof Query.Get g && !g.want().specified()) {
            return new Query.Get(g.target(), g.seq(), want);
        }
        return q;
    }

    /**
     * The reply to {@code q} with the contacts its {@code want} asks for: ours when it names our family,
     * the sibling's when it names the other one. Without {@code want} the reply is unchanged (our family).
     */
    public KrpcMessage answer(Query q, KrpcMessage reply) {
        if (!(reply instanceof KrpcResponse r)) {
            return reply;
        }
        NodeId target;
        Want want;
        if (q instanceof Query.FindNode f) {
            target = f.target();
            want = f.want();
        } else if (q instanceof Query.GetPeers g) {
            target = g.infoHash();
            want = g.want();
        } else if (q instanceof Query.Get g) {
            target = g.target();
            want = g.want();
        } else if (q instanceof Query.Unknown u && u.target() != null) {
            target = u.target();
            want = u.want();
        } else {
            return reply;
        }
        if (want == null || !want.specified()) {
            return reply;
        }
        boolean wantOurs = ipv6 ? want.ipv6() : want.ipv4();
        boolean wantOther = ipv6 ? want.ipv4() : want.ipv6();
        // The handler put our table's contacts in 'nodes' whatever their family; the codec sorts them out.
        List<NodeInfo> ours = wantOurs ? keep(concat(r.nodes(), r.nodes6()), new ArrayList<>()) : List.of();
        List<NodeInfo> other = wantOther && sibling != null ? sibling.closest(target, RoutingTable.K) : List.of();
        if (wantOurs && other.isEmpty()) {
            return reply;
        }
        List<NodeInfo> v4 = ipv6 ? other : ours;
        List<NodeInfo> v6 = ipv6 ? ours : other;
        return new KrpcResponse(r.transactionId(), r.sender(), v4, v6, r.values(), r.token(), r.value(), r.key(),
                r.signature(), r.seq(), r.externalIp(), r.clientVersion());
    }

    /** The response without contacts of the other family; those are handed to the sibling, if any. */
    public KrpcResponse incoming(KrpcResponse r) {
        if (sibling == null) {
            return r;
        }
        List<NodeInfo> foreign = new ArrayList<>();
        List<NodeInfo> v4 = keep(r.nodes(), foreign);
        List<NodeInfo> v6 = keep(r.nodes6(), foreign);
        if (foreign.isEmpty()) {
            return r;
        }
        sibling.learned(foreign);
        return new KrpcResponse(r.transactionId(), r.sender(), v4, v6, r.values(), r.token(), r.value(), r.key(),
                r.signature(), r.seq(), r.externalIp(), r.clientVersion());
    }

    private static List<NodeInfo> concat(List<NodeInfo> a, List<NodeInfo> b) {
        if (b.isEmpty()) {
            return a;
        }
        List<NodeInfo> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private List<NodeInfo> keep(List<NodeInfo> nodes, List<NodeInfo> foreign) {
        List<NodeInfo> kept = null;
        for (int i = 0; i < nodes.size(); i++) {
            NodeInfo n = nodes.get(i);
            if (ours(n.address())) {
                if (kept != null) {
                    kept.add(n);
                }
            } else {
                if (kept == null) {
                    kept = new ArrayList<>(nodes.subList(0, i));
                }
                foreign.add(n);
            }
        }
        return kept == null ? nodes : kept;
    }
}
