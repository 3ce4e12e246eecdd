package dev.scout.dht.node;

import dev.scout.dht.node.requests.PendingRequests;
import dev.scout.dht.node.requests.PendingRequests.Pending;
import dev.scout.dht.node.requests.Scheduler;
import dev.scout.dht.node.address.Bep42Rekey;
import dev.scout.dht.node.address.ReachabilityObserver;
import dev.scout.dht.server.QueryServer;
import dev.scout.dht.lookup.RpcCallback;

import dev.scout.dht.Reachability;
import dev.scout.dht.DhtConfig;
import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.NodeStats;
import dev.scout.dht.krpc.KrpcCodec;
import dev.scout.dht.krpc.KrpcMessage;
import dev.scout.dht.krpc.KrpcQuery;
import dev.scout.dht.krpc.Query;
import dev.scout.dht.lookup.FindNodeLookup;
import dev.scout.dht.lookup.LookupContext;
import dev.scout.dht.lookup.Traversal;
import dev.scout.dht.routing.RoutingTable;
import dev.scout.dht.server.ServerLimits;
import dev.scout.dht.storage.ItemStore;
import dev.scout.dht.storage.PeerStore;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * The sans-IO DHT node: a single-threaded state machine. A driver feeds it datagrams
 * ({@link #handleDatagram}) and calls {@link #tick()} when {@link #nextDeadline()} is reached; the core
 * emits datagrams through its {@link Outbox} and reads time only from the injected clock. The same code
 * runs on real UDP ({@code UdpTransport}) and on the simulated network ({@code SimNetwork}).
 *
 * <p>Not thread-safe by design: every method must be called from the driver's loop thread.
 */
public final class NodeCore implements LookupContext {
    private final DhtConfig config;
    /** The node's id, which changes only when the node re-keys (BEP 42). */
    private final Bep42Rekey self;
    private final LongSupplier clock;
    private final Random random;
    private final Outbox outbox;
    private final RoutingTable table;
    private final QueryServer server;
    private final Scheduler scheduler = new Scheduler();
    private final ReachabilityObserver reachability;
    /** BEP 43 mode, from the config at start; a daemon switches it while it finds itself unreachable. */
    private boolean readOnly;
    private final PendingRequests pending;
    private final UnresponsiveAddresses unresponsive = new UnresponsiveAddresses();
    private final OutageRecovery outage = new OutageRecovery(this, unresponsive);
    private final FamilyPolicy families;
    private final Receiver receiver;
    /** Set by the driver when the operating system refused the datagram being sent (no route). */
    private boolean refused;
    private boolean started;

    private final NodeCounters counters = new NodeCounters();

    /**
     * @param ownId  this node's id
     * @param config tunables (only the non-I/O ones are read here)
     * @param clock  milliseconds, real or virtual
     * @param random randomness for tokens, ids and sampling (seeded in simulations)
     * @param outbox where datagrams go
     */
    public NodeCore(NodeId ownId, DhtConfig config, LongSupplier clock, Random random, Outbox outbox) {
        this(ownId, config, clock, random, outbox, null);
    }

    /** As above with a custom item store (null = in-memory store sized by the config). */
    public NodeCore(NodeId ownId, DhtConfig config, LongSupplier clock, Random random, Outbox outbox, ItemStore store) {
        this(ownId, config, clock, random, outbox, store, ServerLimits.DEFAULT);
    }

    /** As above with bounds on announced peers other than {@link ServerLimits#DEFAULT}. */
    public NodeCore(NodeId ownId, DhtConfig config, LongSupplier clock, Random random, Outbox outbox, ItemStore store,
                    ServerLimits limits) {
        this.config = config;
        this.readOnly = config.readOnly();
        this.self = new Bep42Rekey(ownId, config.nodeId() != null);
        this.clock = clock;
        this.random = random;
        this.outbox = outbox;
        this.table = new RoutingTable(ownId);
        this.server = new QueryServer(ownId, config, table, random, clock.getAsLong(), store, limits);
        this.families = FamilyPolicy.forBindAddress(config.bindAddress());
        this.pending = new PendingRequests(config, table, scheduler, this::expire);
        this.reachability = new ReachabilityObserver(clock);
        this.receiver = new Receiver(this, counters, families, server, table, pending, self, reachability, unresponsive,
                outage);
    }

    /**
     * Tells the core that the datagram it is sending right now was refused by the operating system (e.g.
     * no route for the family); the request fails at the next tick instead of after the full timeout.
     */
    public void sendRefused() {
        refused = true;
    }

    /** Connects this core to the other address family's core of a dual-stack node (BEP 32 {@code want}). */
    public void sibling(FamilyPolicy.Sibling sibling) {
        families.sibling(sibling);
    }

    /** Starts periodic maintenance. Bootstrapping is a separate lookup the caller starts. */
    public void start() {
        if (started) {
            return;
        }
        started = true;
        new Maintenance(this).schedule();
    }

    /**
     * Joins the network: a lookup of our own id through the routing table and {@code routers}
     * (BEP 5 bootstrap). Completes with the closest nodes found.
     */
    public FindNodeLookup bootstrap(List<InetSocketAddress> routers) {
        return bootstrap(List.of(), routers);
    }

    /**
     * Joins the network from a saved routing table and the routers at once: the saved nodes are asked
     * closest first as ordinary candidates (dead ones cost a soft timeout each, never the lookup's end),
     * the routers in parallel; done as soon as the K closest that answered are known.
     */
    public FindNodeLookup bootstrap(List<NodeInfo> saved, List<InetSocketAddress> routers) {
        FindNodeLookup lookup = new FindNodeLookup(this, self.id());
        lookup.withSeeds(saved);
        lookup.withBootstrap(routers);
        lookup.start();
        return lookup;
    }

    /** Starts a lookup now; its future completes on this loop. */
    public <R> Traversal<R> startLookup(Traversal<R> lookup) {
        lookup.start();
        return lookup;
    }

    // ---- inbound -------------------------------------------------------------------------------

    /** Handles one datagram. Never throws: malformed input is answered with error 203 or dropped. */
    public void handleDatagram(byte[] data, int length, InetSocketAddress from) {
        receiver.handle(data, length, from);
    }

    /** Runs {@code listener} on the loop each time the node takes a new id (BEP 42 re-key), e.g. to save it. */
    public void onIdChange(Runnable listener) {
        self.onChange(listener);
    }

    // ---- outbound ------------------------------------------------------------------------------

    @Override
    public void request(NodeInfo node, Query query, RpcCallback callback) {
        request(node.address(), node, query, callback);
    }

    @Override
    public void request(InetSocketAddress address, Query query, RpcCallback callback) {
        request(address, null, query, callback);
    }

    private void request(InetSocketAddress address, NodeInfo node, Query query, RpcCallback callback) {
        long now = now();
        Pending p = pending.open(address, node, callback, now);
        if (p == null) {
            callback.onTimeout(); // every transaction id is in use: fail fast rather than reuse one
            return;
        }
        byte[] t = {(byte) (p.tid >>> 8), (byte) p.tid};
        refused = false;
        send(new KrpcQuery(t, self.id(), families.outgoing(query), readOnly, null), address);
        if (refused) {
            pending.expireAt(p, now);
        }
    }

    private void expire(Pending p) {
        if (!pending.expired(p)) {
            return;
        }
        counters.timeouts++;
        unresponsive.timedOut(p.address, now());
        outage.timedOut();
        if (p.node != null) {
            table.onTimeout(p.node, now());
        }
        p.callback.onTimeout();
    }

    void send(KrpcMessage message, InetSocketAddress to) {
        counters.sent++;
        reachability.sentTo(to);
        outbox.send(KrpcCodec.encode(message), to);
    }

    // ---- timers --------------------------------------------------------------------------------

    /** Runs timers that are due. */
    public void tick() {
        scheduler.runDue(now());
    }

    /** When {@link #tick()} should next be called, in clock milliseconds ({@code Long.MAX_VALUE} = never). */
    public long nextDeadline() {
        return scheduler.nextDeadline();
    }

    /** Schedules {@code action} on this loop at clock time {@code deadline}. */
    public Scheduler.Timer schedule(long deadline, Runnable action) {
        return scheduler.at(deadline, action);
    }

    // ---- LookupContext -------------------------------------------------------------------------

    @Override
    public long now() {
        return clock.getAsLong();
    }

    @Override
    public NodeId ownId() {
        return self.id();
    }

    @Override
    public int alpha() {
        return config.alpha();
    }

    @Override
    public void after(long delayMillis, Runnable action) {
        scheduler.at(now() + delayMillis, action);
    }

    @Override
    public boolean recentlyUnresponsive(InetSocketAddress address) {
        return unresponsive.contains(address, now());
    }

    @Override
    public void nothingToAsk() {
        outage.nothingToAsk();
    }

    @Override
    public int suspiciousPrefixBits() {
        return table.suspiciousPrefixBits();
    }

    @Override
    public List<NodeInfo> closest(NodeId target, int count) {
        return table.closest(target, count, now());
    }

    // ---- state ---------------------------------------------------------------------------------

    public RoutingTable routingTable() {
        return table;
    }

    public ItemStore itemStore() {
        return server.items();
    }

    public PeerStore peerStore() {
        return server.peers();
    }

    public DhtConfig config() {
        return config;
    }

    public Random random() {
        return random;
    }

    /** Our address as most responders see it (BEP 42 {@code ip}), or null before enough votes. */
    public InetSocketAddress externalAddress() {
        return reachability.externalAddress();
    }

    /** Starts counting unsolicited queries (see {@link Reachability}); costs one map entry per recent destination. */
    public void observeReachability() {
        reachability.observe();
    }

    /** What this node can tell about its reachability. */
    public Reachability reachability() {
        return reachability.reachability(readOnly);
    }

    boolean readOnly() {
        return readOnly;
    }

    /** Switches BEP 43 read-only mode: a read-only node neither answers queries nor enters others' tables. */
    public void setReadOnly(boolean readOnly) {
        this.readOnly = readOnly;
    }

    /**
     * Watches for our own outages and recovers from them (see {@link OutageRecovery}): a driver on a real
     * network calls this once its routers are resolved.
     *
     * @param routers         the bootstrap routers' addresses (empty if their names did not resolve)
     * @param routersNamed    whether the node was given router names at all (false: the first node of a
     *                        network, which is alone rather than offline while its table is empty)
     * @param resolveRouters  re-resolves the router names off the loop, then calls {@link #routers}
     * @param listener        hears {@code false} when an outage starts, {@code true} when it ends (on the loop)
     */
    public void recoverFromOutages(List<InetSocketAddress> routers, boolean routersNamed, Runnable resolveRouters,
                                   java.util.function.Consumer<Boolean> listener) {
        outage.enable(routers, routersNamed, resolveRouters, listener);
    }

    /** The first join found no node: the node is offline from the start and keeps trying. */
    public void joinFailed() {
        outage.joinFailed();
    }

    /** The bootstrap routers' addresses, freshly resolved. */
    public void routers(List<InetSocketAddress> resolved) {
        outage.routers(resolved);
    }

    /**
     * The local network changed (another address, a resume from sleep): silent marks and external address
     * votes are forgotten, and the node joins again at once (or probes at once while offline).
     */
    public void networkChanged() {
        reachability.forgetVotes();
        outage.networkChanged();
    }

    /** {@return when the current outage began (clock ms), or -1 while the node is online} */
    public long offlineSince() {
        return outage.offlineSince();
    }

    /** Counts a BEP 44 item received from a lookup that failed verification. */
    public void countInvalidItem() {
        counters.invalidItems++;
    }

    public int pendingRequests() {
        return pending.size();
    }

    public NodeStats stats() {
        return counters.stats(server.rejectedItems(), table.size(), server.items().count(), server.peers().peerCount());
    }
}
