package dev.scout.bench.sim;

import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.krpc.KrpcError;
import dev.scout.dht.krpc.KrpcResponse;
import dev.scout.dht.krpc.Query;
import dev.scout.dht.lookup.LookupContext;
import dev.scout.dht.node.NodeCore;
import dev.scout.dht.lookup.RpcCallback;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link LookupContext} that forwards everything to a {@link NodeCore} and records the timeline of
 * every request one operation makes (sent, soft timeout, answer or timeout). Lookups run unchanged on
 * top of it; the records explain where an operation's virtual time went.
 */
final class ProbeContext implements LookupContext {
    /** One request of the operation. */
    static final class Rpc {
        final long sentAt;
        final String method;
        final InetSocketAddress to;
        long slowAt = -1;
        long doneAt = -1;
        char outcome = '?'; // r = response, e = error, t = timeout
        boolean carriedValue;
        boolean toOffline; // the addressee was offline (stale or churned away) when this was sent

        Rpc(long sentAt, String method, InetSocketAddress to) {
            this.sentAt = sentAt;
            this.method = method;
            this.to = to;
        }
    }

    private final NodeCore core;
    private final java.util.function.Predicate<InetSocketAddress> offline;
    final List<Rpc> rpcs = new ArrayList<>();

    ProbeContext(NodeCore core, java.util.function.Predicate<InetSocketAddress> offline) {
        this.core = core;
        this.offline = offline;
    }

    @Override
    public long now() {
        return core.now();
    }

    @Override
    public NodeId ownId() {
        return core.ownId();
    }

    @Override
    public int alpha() {
        return core.alpha();
    }

    @Override
    public void request(NodeInfo node, Query query, RpcCallback callback) {
        Rpc r = new Rpc(core.now(), query.method(), node.address());
        r.toOffline = offline.test(r.to);
        rpcs.add(r);
        core.request(node, query, wrap(r, callback));
    }

    @Override
    public void request(InetSocketAddress address, Query query, RpcCallback callback) {
        Rpc r = new Rpc(core.now(), query.method(), address);
        r.toOffline = offline.test(r.to);
        rpcs.add(r);
        core.request(address, query, wrap(r, callback));
    }

    @Override
    public List<NodeInfo> closest(NodeId target, int count) {
        return core.closest(target, count);
    }

    @Override
    public void after(long delayMillis, Runnable action) {
        core.after(delayMillis, action);
    }

    @Override
    public int suspiciousPrefixBits() {
        return core.suspiciousPrefixBits();
    }

    @Override
    public boolean recentlyUnresponsive(java.net.InetSocketAddress address) {
        return core.recentlyUnresponsive(address);
    }

    private RpcCallback wrap(Rpc r, RpcCallback inner) {
        return new RpcCallback() {
            @Override
            public void onResponse(KrpcResponse response, long rttMillis) {
                r.doneAt = core.now();
                r.outcome = 'r';
                r.carriedValue = response.value() != null;
                inner.onResponse(response, rttMillis);
            }

            @Override
            public void onError(KrpcError error) {
                r.doneAt = core.now();
                r.outcome = 'e';
                inner.onError(error);
            }

            @Override
            public void onTimeout() {
                r.doneAt = core.now();
                r.outcome = 't';
                inner.onTimeout();
            }

            @Override
            public void onSlow() {
                r.slowAt = core.now();
                inner.onSlow();
            }
        };
    }
}
