package dev.scout.dht.node;

import dev.scout.dht.lookup.RpcCallback;
import dev.scout.dht.node.PendingRequests.Pending;

import dev.scout.dht.Reachability;
import dev.scout.dht.DhtConfig;
import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.NodeStats;
import dev.scout.dht.krpc.KrpcCodec;
import dev.scout.dht.krpc.KrpcDecodeException;
import dev.scout.dht.krpc.KrpcError;
import dev.scout.dht.krpc.KrpcMessage;
import dev.scout.dht.krpc.KrpcQuery;
import dev.scout.dht.krpc.KrpcResponse;
import dev.scout.dht.krpc.Query;
import dev.scout.dht.lookup.FindNodeLookup;
import dev.scout.dht.lookup.LookupContext;
import dev.scout.dht.lookup.Traversal;
import dev.scout.dht.routing.RoutingTable;
import dev.scout.dht.server.ItemHandler;
import dev.scout.dht.server.PutRateLimiter;
import dev.scout.dht.server.QueryHandler;
import dev.scout.dht.server.ServerLimits;
import dev.scout.dht.server.TokenManager;
import dev.scout.dht.storage.ItemStore;
import dev.scout.dht.storage.MemoryItemStore;
import dev.scout.dht.storage.PeerStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
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
    private static final Logger LOG = LoggerFactory.getLogger(NodeCore.class);
    /** Unknown nodes that queried us and are being verified with a ping, at most. */
    private static final int MAX_VERIFICATIONS = 32;
    private static final int MAX_DATAGRAM = 65_507;
    /** Bits beyond the estimated network depth at which an id next to a target is suspiciously close. */
    private static final int SUSPICIOUS_MARGIN_BITS = 6;

    private final DhtConfig config;
    /** Changes only when the node re-keys (BEP 42); volatile so a driver's other threads read the current one. */
    private volatile NodeId ownId;
    private final LongSupplier clock;
    private final Random random;
    private final Outbox outbox;
    private final RoutingTable table;
    private final TokenManager tokens;
    private final PeerStore peers;
    private final ItemStore items;
    private final ItemHandler itemHandler;
    private final QueryHandler queryHandler;
    private final Scheduler scheduler = new Scheduler();
    private final ReachabilityObserver reachability;
    private final Bep42Rekey rekey;
    private Runnable idListener = () -> { };
    /** BEP 43 mode, from the config at start; a daemon switches it while it finds itself unreachable. */
    private boolean readOnly;
    private final PendingRequests pending;
    private final Set<InetSocketAddress> verifying = new HashSet<>();
    private final UnresponsiveAddresses unresponsive = new UnresponsiveAddresses();
    private final FamilyPolicy families;
    /** Set by the driver when the operating system refused the datagram being sent (no route). */
    private boolean refused;
    private boolean started;

    private long received;
    private long sent;
    private long malformed;
    private long answered;
    private long timeouts;
    private long invalidItems;

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
        this.ownId = ownId;
        this.clock = clock;
        this.random = random;
        this.outbox = outbox;
        this.table = new RoutingTable(ownId);
        this.tokens = new TokenManager(random, clock.getAsLong());
        this.peers = limits.newPeerStore();
        this.items = store != null ? store : new MemoryItemStore(ownId, config.maxItems(), config.maxItemBytes());
        this.itemHandler = new ItemHandler(ownId, tokens, items, new PutRateLimiter(config.maxPutsPerIpPerMinute()));
        this.queryHandler = new QueryHandler(ownId, table, tokens, peers, itemHandler,
                new PutRateLimiter(limits.maxAnnouncesPerIpPerMinute()), random);
        this.families = FamilyPolicy.forBindAddress(config.bindAddress());
        this.pending = new PendingRequests(config, table, scheduler, this::expire);
        this.reachability = new ReachabilityObserver(clock);
        this.rekey = new Bep42Rekey(config.nodeId() != null);
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
        FindNodeLookup lookup = new FindNodeLookup(this, ownId);
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
        received++;
        if (length > MAX_DATAGRAM || from == null || from.getPort() == 0) {
            malformed++;
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
                malformed++;
                if (e.wasQuery() && e.transactionId() != null && !readOnly) {
                    send(new KrpcError(e.transactionId(), e.code(), e.getMessage()), from);
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
            malformed++;
            LOG.warn("dropped a datagram from {} after an internal error", from, e);
        }
    }

    private void onQuery(KrpcQuery q, InetSocketAddress from) {
        unresponsive.heardFrom(from);
        reachability.queriedBy(from);
        if (readOnly) {
            return; // BEP 43: read-only nodes do not answer
        }
        long now = now();
        if (q.sender().equals(ownId)) {
            return;
        }
        KrpcMessage reply = families.answer(q.query(), queryHandler.handle(q, from, now));
        if (reply instanceof KrpcResponse r) {
            reply = r.withExternalIp(from, null);
        }
        answered++;
        send(reply, from);
        if (!q.readOnly()) {
            NodeInfo node = new NodeInfo(q.sender(), from);
            if (table.onQuery(node, now) && verifying.size() < MAX_VERIFICATIONS && verifying.add(from)) {
                request(node, new Query.Ping(), new RpcCallbacks.Finally(() -> verifying.remove(from)));
            }
        }
    }

    private void onReply(KrpcMessage message, InetSocketAddress from) {
        Pending p = pending.answered(message.transactionId(), from);
        if (p == null) {
            return; // not one of our requests: unsolicited or spoofed
        }
        unresponsive.heardFrom(from);
        long now = now();
        long elapsed = now - p.sentAt;
        if (message instanceof KrpcResponse r) {
            r = families.incoming(r);
            pending.sampleRtt(elapsed, now);
            if (r.externalIp() != null) {
                reachability.vote(from, r.externalIp());
                rekeyIfNeeded(from);
            }
            NodeInfo responder = new NodeInfo(r.sender(), from);
            if (p.node != null && !p.node.id().equals(r.sender())) {
                table.remove(p.node); // the address now answers with another id: the old one is gone
            }
            RoutingTable.Insertion insertion = table.onResponse(responder, now, elapsed);
            if (insertion instanceof RoutingTable.Insertion.PingQuestionable pq) {
                request(pq.node(), new Query.Ping(), RpcCallbacks.IGNORE);
            }
            p.callback.onResponse(r, elapsed);
        } else {
            p.callback.onError((KrpcError) message);
        }
    }

    /** See {@link Bep42Rekey} for when; O(1) per vote. */
    private void rekeyIfNeeded(InetSocketAddress voter) {
        NodeId fresh = rekey.newIdFor(ownId, reachability.settledExternalAddress(Bep42Rekey.MIN_VOTERS),
                voter.getAddress() instanceof java.net.Inet6Address, now(), random);
        if (fresh == null) {
            return;
        }
        LOG.info("node id {} does not match our external address {} (BEP 42): re-keying to {}", ownId,
                reachability.externalAddress(), fresh);
        ownId = fresh;
        table.rekey(fresh, now());
        queryHandler.ownId(fresh);
        itemHandler.ownId(fresh);
        // Re-announce: the nodes closest to the new id learn of us, and our nearest buckets fill again.
        startLookup(new FindNodeLookup(this, fresh));
        idListener.run();
    }

    /** Runs {@code listener} on the loop each time the node takes a new id (BEP 42 re-key), e.g. to save it. */
    public void onIdChange(Runnable listener) {
        this.idListener = listener;
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
        send(new KrpcQuery(t, ownId, families.outgoing(query), readOnly, null), address);
        if (refused) {
            pending.expireAt(p, now);
        }
    }

    private void expire(Pending p) {
        if (!pending.expired(p)) {
            return;
        }
        timeouts++;
        unresponsive.timedOut(p.address, now());
        if (p.node != null) {
            table.onTimeout(p.node, now());
        }
        p.callback.onTimeout();
    }

    private void send(KrpcMessage message, InetSocketAddress to) {
        sent++;
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
        return ownId;
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

    /**
     * log2(network size) ≈ buckets − 1 + log2(K): the routing table splits down to where K nodes share our
     * prefix. An honest node shares {@value #SUSPICIOUS_MARGIN_BITS} more bits with a target than that
     * with probability about 1/64, a Sybil placed next to it always does.
     */
    @Override
    public int suspiciousPrefixBits() {
        return table.bucketCount() - 1 + 3 + SUSPICIOUS_MARGIN_BITS;
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
        return items;
    }

    public PeerStore peerStore() {
        return peers;
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

    /** Switches BEP 43 read-only mode: a read-only node neither answers queries nor enters others' tables. */
    public void setReadOnly(boolean readOnly) {
        this.readOnly = readOnly;
    }

    /** Counts a BEP 44 item received from a lookup that failed verification. */
    public void countInvalidItem() {
        invalidItems++;
    }

    public int pendingRequests() {
        return pending.size();
    }

    public NodeStats stats() {
        return new NodeStats(received, sent, malformed, answered, timeouts,
                invalidItems + itemHandler.rejectedItems(), table.size(), items.count(), peers.peerCount());
    }
}
