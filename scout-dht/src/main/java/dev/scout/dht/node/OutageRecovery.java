package dev.scout.dht.node;

import dev.scout.dht.NodeInfo;
import dev.scout.dht.krpc.Query;
import dev.scout.dht.lookup.RpcCallback;
import dev.scout.dht.routing.RoutingEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;

/**
 * Tells our own outage from dead peers, and gets the node back on the network afterwards (issue 20).
 *
 * <p>When no DHT node has answered for {@link #QUIET_MILLIS} while our requests kept timing out, or a
 * lookup has nobody left to ask, the silence is ours (Wi-Fi gone, laptop asleep, uplink down), not
 * theirs: the silent-address marks and the routing table's failures are then evidence of nothing. The
 * node is <em>offline</em> until something answers: it forgets the marks and probes with backoff (1 s,
 * 2 s, 4 s … at most {@link #MAX_RETRY_MILLIS} apart), each probe a ping to every router and to
 * {@link #PROBED_TABLE_NODES} table entries in turn, so an offline phone sends a handful of datagrams
 * every 15 s. The first answer ends the outage: marks are forgotten again and a bootstrap lookup through
 * the whole table and the routers refills it.
 *
 * <p>Only a node whose driver {@linkplain NodeCore#recoverFromOutages enables} it does this (real UDP
 * nodes); simulations keep their exact traffic. Loop thread only.
 */
final class OutageRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(OutageRecovery.class);
    /** No answer for this long, with requests timing out meanwhile, is our outage. */
    static final long QUIET_MILLIS = 20_000;
    /** Timeouts since the last answer needed too: an idle node that asked nothing is not offline. */
    static final int MIN_TIMEOUTS = 3;
    static final long FIRST_RETRY_MILLIS = 1_000;
    /** Probes never come further apart than this, so the node notices the network's return within it. */
    static final long MAX_RETRY_MILLIS = 15_000;
    static final int PROBED_TABLE_NODES = 3;
    private static final long CHECK_MILLIS = 1_000;

    private final NodeCore core;
    private final UnresponsiveAddresses marks;
    private boolean enabled;
    private List<InetSocketAddress> routers = List.of();
    /** Whether the node was given router names at all: without them and without a table it is alone, not cut off. */
    private boolean routersNamed;
    private Runnable resolveRouters = () -> { };
    private Consumer<Boolean> listener = online -> { };
    private long lastHeard;
    private int timeoutsSinceHeard;
    private long offlineSince = -1;
    private long retryDelay;
    private long nextProbeAt;
    private int probeCursor;

    OutageRecovery(NodeCore core, UnresponsiveAddresses marks) {
        this.core = core;
        this.marks = marks;
    }

    /**
     * Starts watching. {@code resolveRouters} re-resolves the router names off the loop and hands them
     * back through {@link #routers}; {@code listener} hears {@code false} when an outage starts and
     * {@code true} when it ends (on the loop). {@code routersNamed} is false for a node given no routers
     * (the first node of a private network).
     */
    void enable(List<InetSocketAddress> routers, boolean routersNamed, Runnable resolveRouters, Consumer<Boolean> listener) {
        this.routers = List.copyOf(routers);
        this.routersNamed = routersNamed;
        this.resolveRouters = resolveRouters;
        this.listener = listener;
        if (!enabled) {
            enabled = true;
            lastHeard = core.now();
            scheduleCheck();
        }
    }

    void routers(List<InetSocketAddress> resolved) {
        routers = List.copyOf(resolved);
    }

    boolean offline() {
        return offlineSince >= 0;
    }

    /** When the current outage began (clock ms), or -1 while online. */
    long offlineSince() {
        return offlineSince;
    }

    void heard() {
        lastHeard = core.now();
        timeoutsSinceHeard = 0;
        if (offline()) {
            long lasted = lastHeard - offlineSince;
            offlineSince = -1;
            LOG.info("the DHT answers again after {} s offline: re-joining", lasted / 1000);
            rejoin();
            listener.accept(true);
        }
    }

    void timedOut() {
        timeoutsSinceHeard++;
    }

    /** A lookup found nobody to ask (every table entry failed or silent, no routers): we are cut off. */
    void nothingToAsk() {
        if (enabled && !offline() && !alone()) {
            declare("a lookup had nobody left to ask");
        }
    }

    void joinFailed() {
        if (enabled && !offline() && !alone()) {
            declare("the join reached no DHT node");
        }
    }

    /**
     * No router names and an empty table: the first node of a network, waiting for others to join it. Its
     * lookups find nobody because there is nobody yet, not because its link is down; calling that an
     * outage would log one per lookup and "back" at every node that joins.
     */
    private boolean alone() {
        return !routersNamed && core.routingTable().entries().isEmpty();
    }

    /** The local network changed: forget what the old one taught us and join again at once. */
    void networkChanged() {
        marks.clear();
        if (!enabled) {
            return;
        }
        resolveRouters.run();
        if (offline()) {
            retryDelay = FIRST_RETRY_MILLIS;
            probe();
        } else {
            rejoin();
        }
    }

    private void scheduleCheck() {
        core.schedule(core.now() + CHECK_MILLIS, () -> {
            check();
            scheduleCheck();
        });
    }

    private void check() {
        long now = core.now();
        if (!offline() && timeoutsSinceHeard >= MIN_TIMEOUTS && now - lastHeard >= QUIET_MILLIS) {
            declare("no DHT node answered for " + (now - lastHeard) / 1000 + " s");
        }
        if (offline() && now >= nextProbeAt) {
            probe();
        }
    }

    private void declare(String why) {
        offlineSince = core.now();
        retryDelay = FIRST_RETRY_MILLIS;
        nextProbeAt = offlineSince;
        marks.clear();
        LOG.info("offline: {}; retrying with backoff (at most every {} s)", why, MAX_RETRY_MILLIS / 1000);
        listener.accept(false);
        resolveRouters.run();
    }

    /** Pings the routers and a few table entries (whatever their state): any answer ends the outage. */
    private void probe() {
        long now = core.now();
        nextProbeAt = now + retryDelay;
        retryDelay = Math.min(retryDelay * 2, MAX_RETRY_MILLIS);
        marks.clear();
        for (InetSocketAddress router : routers) {
            core.request(router, new Query.Ping(), RpcCallback.IGNORE);
        }
        List<RoutingEntry> entries = core.routingTable().entries();
        for (int i = 0; i < Math.min(PROBED_TABLE_NODES, entries.size()); i++) {
            NodeInfo n = entries.get(probeCursor++ % entries.size()).node();
            core.request(n.address(), new Query.Ping(), RpcCallback.IGNORE);
        }
        if (routers.isEmpty()) {
            resolveRouters.run(); // the names may not have resolved while offline
        }
    }

    private void rejoin() {
        marks.clear();
        List<NodeInfo> known = core.routingTable().entries().stream().map(RoutingEntry::node).toList();
        core.bootstrap(known, routers);
    }
}
