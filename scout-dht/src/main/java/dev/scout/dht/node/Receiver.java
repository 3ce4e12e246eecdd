package dev.scout.dht.node;

import dev.scout.dht.NodeInfo;
import dev.scout.dht.krpc.KrpcCodec;
import dev.scout.dht.krpc.KrpcDecodeException;
import dev.scout.dht.krpc.KrpcError;
import dev.scout.dht.krpc.KrpcMessage;
import dev.scout.dht.krpc.KrpcQuery;
import dev.scout.dht.krpc.KrpcResponse;
import dev.scout.dht.krpc.Query;
import dev.scout.dht.lookup.FindNodeLookup;
import dev.scout.dht.lookup.RpcCallback;
import dev.scout.dht.node.address.Bep42Rekey;
import dev.scout.dht.node.address.ReachabilityObserver;
import dev.scout.dht.node.requests.PendingRequests;
import dev.scout.dht.node.requests.PendingRequests.Pending;
import dev.scout.dht.node.requests.RpcCallbacks;
import dev.scout.dht.routing.RoutingTable;
import dev.scout.dht.server.QueryServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;

/**
 * The inbound half of a {@link NodeCore}: decodes each datagram, answers queries (and verifies unknown
 * queriers before they enter the routing table), and hands replies to the requests waiting for them,
 * learning our external address and the responders' liveness on the way. Loop thread only.
 */
final class Receiver {
    private static final Logger LOG = LoggerFactory.getLogger(NodeCore.class); // logs as the core it serves
    private static final int MAX_DATAGRAM = 65_507;

    private final NodeCore core;
    private final NodeCounters counters;
    private final FamilyPolicy families;
    private final QueryServer server;
    private final RoutingTable table;
    private final PendingRequests pending;
    private final Bep42Rekey self;
    private final ReachabilityObserver reachability;
    private final UnresponsiveAddresses unresponsive;
    private final OutageRecovery outage;
    private final QuerierVerification verifying = new QuerierVerification();

    Receiver(NodeCore core, NodeCounters counters, FamilyPolicy families, QueryServer server, RoutingTable table,
             PendingRequests pending, Bep42Rekey self, ReachabilityObserver reachability,
             UnresponsiveAddresses unresponsive, OutageRecovery outage) {
        this.core = core;
        this.counters = counters;
        this.families = families;
        this.server = server;
        this.table = table;
        this.pending = pending;
        this.self = self;
        this.reachability = reachability;
        this.unresponsive = unresponsive;
        this.outage = outage;
    }

    /** Handles one datagram. Never throws: malformed input is answered with error 203 or dropped. */
    void handle(byte[] data, int length, InetSocketAddress from) {
        counters.received++;
        if (length > MAX_DATAGRAM || from == null || from.getPort() == 0) {
            counters.malformed++;
            return;
        }
        if (!families.accepts(from)) {
            return; // an IPv4-mapped source on a dual-stack IPv6 socket: the IPv4 core's business
        }
        try {
            KrpcMessage message;
            try {
                message = KrpcCodec.decode(data, 0, length);
            } catch (KrpcDecodeException e) {
                counters.malformed++;
                if (e.wasQuery() && e.transactionId() != null && !core.readOnly()) {
                    core.send(new KrpcError(e.transactionId(), e.code(), e.getMessage()), from);
                }
                return;
            }
            if (message instanceof KrpcQuery q) {
                onQuery(q, from);
            } else {
                onReply(message, from);
            }
        } catch (RuntimeException e) {
            // A bug must not take the node down or let one peer stop it answering others.
            counters.malformed++;
            LOG.warn("dropped a datagram from {} after an internal error", from, e);
        }
    }

    private void heardFrom(InetSocketAddress from) {
        unresponsive.heardFrom(from);
        outage.heard();
    }

    private void onQuery(KrpcQuery q, InetSocketAddress from) {
        heardFrom(from);
        reachability.queriedBy(from);
        if (core.readOnly()) {
            return; // BEP 43: read-only nodes do not answer
        }
        long now = core.now();
        if (q.sender().equals(self.id())) {
            return;
        }
        KrpcMessage reply = families.answer(q.query(), server.answer(q, from, now));
        if (reply instanceof KrpcResponse r) {
            reply = r.withExternalIp(from, null);
        }
        counters.answered++;
        core.send(reply, from);
        if (!q.readOnly()) {
            NodeInfo node = new NodeInfo(q.sender(), from);
            if (table.onQuery(node, now) && verifying.start(from)) {
                core.request(node, new Query.Ping(), new RpcCallbacks.Finally(() -> verifying.done(from)));
            }
        }
    }

    private void onReply(KrpcMessage message, InetSocketAddress from) {
        Pending p = pending.answered(message.transactionId(), from);
        if (p == null) {
            return; // not one of our requests: unsolicited or spoofed
        }
        heardFrom(from);
        long now = core.now();
        long elapsed = now - p.sentAt;
        if (message instanceof KrpcResponse r) {
            r = families.incoming(r);
            pending.sampleRtt(elapsed, now);
            if (r.externalIp() != null) {
                reachability.vote(from, r.externalIp());
                if (self.afterVote(reachability, from, r.externalIp(), now, core.random(), table, server)) {
                    // Re-announce: the nodes closest to the new id learn of us, our nearest buckets fill again.
                    core.startLookup(new FindNodeLookup(core, self.id()));
                }
            }
            NodeInfo responder = new NodeInfo(r.sender(), from);
            if (p.node != null && !p.node.id().equals(r.sender())) {
                table.remove(p.node); // the address now answers with another id: the old one is gone
            }
            RoutingTable.Insertion insertion = table.onResponse(responder, now, elapsed);
            if (insertion instanceof RoutingTable.Insertion.PingQuestionable pq) {
                core.request(pq.node(), new Query.Ping(), RpcCallback.IGNORE);
            }
            p.callback.onResponse(r, elapsed);
        } else {
            p.callback.onError((KrpcError) message);
        }
    }
}
