package dev.scout.dht.node.requests;

import dev.scout.dht.DhtConfig;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.lookup.RpcCallback;
import dev.scout.dht.routing.RoutingTable;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The requests a {@code NodeCore} is waiting on, by two-byte transaction id: id allocation, each
 * request's soft ("slow") and hard timeout timers, and the RTT samples the soft timeout derives from.
 * Loop thread only, like the core.
 */
public final class PendingRequests {
    /** Answers after which pending slow timers are re-derived from the estimator (see tightenSlowTimers). */
    private static final int EARLY_SAMPLES = 4;

    public static final class Pending {
        public final int tid;
        public final InetSocketAddress address;
        public final NodeInfo node; // null when the id is not known (bootstrap routers)
        public final RpcCallback callback;
        public final long sentAt;
        public Scheduler.Timer slowTimer;
        public Scheduler.Timer timeoutTimer;

        public Pending(int tid, InetSocketAddress address, NodeInfo node, RpcCallback callback, long sentAt) {
            this.tid = tid;
            this.address = address;
            this.node = node;
            this.callback = callback;
            this.sentAt = sentAt;
        }

        public void cancelTimers() {
            slowTimer.cancel();
            timeoutTimer.cancel();
        }
    }

    private final DhtConfig config;
    private final RoutingTable table;
    private final Scheduler scheduler;
    private final Consumer<Pending> onExpiry;
    private final RttEstimator rtt = new RttEstimator();
    private final Map<Integer, Pending> pending = new HashMap<>();
    private int nextTransaction;

    /** @param onExpiry called when a request's hard timeout fires (it may have been answered meanwhile) */
    public PendingRequests(DhtConfig config, RoutingTable table, Scheduler scheduler, Consumer<Pending> onExpiry) {
        this.config = config;
        this.table = table;
        this.scheduler = scheduler;
        this.onExpiry = onExpiry;
    }

    /** Opens a request with a fresh transaction id and its timers; null when every id is in use. */
    public Pending open(InetSocketAddress address, NodeInfo node, RpcCallback callback, long now) {
        if (pending.size() >= 0xFFFF) {
            return null;
        }
        int tid;
        do {
            tid = nextTransaction++ & 0xFFFF;
        } while (pending.containsKey(tid));
        Pending p = new Pending(tid, address, node, callback, now);
        long soft = node != null
                ? softTimeoutFor(node)
                : rtt.softTimeout(config.minSoftTimeoutMillis(), config.requestTimeoutMillis());
        p.slowTimer = scheduler.at(now + soft, callback::onSlow);
        p.timeoutTimer = scheduler.at(now + config.requestTimeoutMillis(), () -> onExpiry.accept(p));
        pending.put(tid, p);
        return p;
    }

    /** Brings the hard timeout forward to {@code now} (the operating system refused the datagram). */
    public void expireAt(Pending p, long now) {
        p.timeoutTimer.cancel();
        p.timeoutTimer = scheduler.at(now, () -> onExpiry.accept(p));
    }

    /**
     * The request a reply with transaction id {@code t} from {@code from} answers, removed and with its
     * timers cancelled; null when it answers none of ours (unsolicited or spoofed).
     */
    public Pending answered(byte[] t, InetSocketAddress from) {
        if (t.length != 2) {
            return null; // not one of ours: we always use two-byte ids
        }
        int tid = ((t[0] & 0xFF) << 8) | (t[1] & 0xFF);
        Pending p = pending.get(tid);
        if (p == null || !p.address.equals(from)) {
            return null; // unsolicited or spoofed
        }
        pending.remove(tid);
        p.cancelTimers();
        return p;
    }

    /** Records the round trip of an answered request. */
    public void sampleRtt(long elapsed, long now) {
        rtt.sample(elapsed);
        if (rtt.samples() <= EARLY_SAMPLES) {
            tightenSlowTimers(now);
        }
    }

    /** Removes a request whose hard timeout fired; false if it was answered meanwhile. */
    public boolean expired(Pending p) {
        if (pending.remove(p.tid) == null) {
            return false;
        }
        p.slowTimer.cancel();
        return true;
    }

    public int size() {
        return pending.size();
    }

    /**
     * The global soft timeout (a high percentile of all RTTs), stretched to twice the node's own smoothed
     * RTT when that is known and longer (up to twice the global): a live node that is merely slower than
     * most is not given up on at its usual answer time.
     */
    private long softTimeoutFor(NodeInfo node) {
        long global = rtt.softTimeout(config.minSoftTimeoutMillis(), config.requestTimeoutMillis());
        return table.entry(node.id())
                .filter(e -> e.rttMillis() >= 0)
                .map(e -> Math.max(config.minSoftTimeoutMillis(), Math.min(2 * global, Math.max(global, 2 * e.rttMillis()))))
                .orElse(global);
    }

    /**
     * Until the estimator has a few samples, requests sent earlier carry the cautious first-contact soft
     * timeout (1 s); once answers show the real RTT, their slow timers are brought forward so a dead
     * saved node does not hold a fresh start for a second. Bounded: runs for the first samples only.
     */
    private void tightenSlowTimers(long now) {
        long global = rtt.softTimeout(config.minSoftTimeoutMillis(), config.requestTimeoutMillis());
        for (Pending p : pending.values()) {
            long due = p.sentAt + global;
            // deadline > now: not fired yet (a fired timer is neither cancelled nor due again)
            if (!p.slowTimer.cancelled() && p.slowTimer.deadline() > now && p.slowTimer.deadline() > due) {
                p.slowTimer.cancel();
                p.slowTimer = scheduler.at(Math.max(now, due), p.callback::onSlow);
            }
        }
    }
}
