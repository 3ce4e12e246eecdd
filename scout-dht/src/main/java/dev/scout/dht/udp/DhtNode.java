package dev.scout.dht.udp;

import dev.scout.dht.AnnounceResult;
import dev.scout.dht.Dht;
import dev.scout.dht.DhtConfig;
import dev.scout.dht.DatagramFilter;
import dev.scout.dht.DhtException;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.Ed25519PublicKey;
import dev.scout.dht.ImmutableItem;
import dev.scout.dht.MutableItem;
import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.NodeStats;
import dev.scout.dht.PutResult;
import dev.scout.dht.Reachability;
import dev.scout.dht.node.DhtOperations;
import dev.scout.dht.node.LoopDht;
import dev.scout.dht.node.NodeCore;
import dev.scout.dht.routing.RoutingTableFile;
import dev.scout.dht.SendFailure;
import dev.scout.dht.transport.UdpTransport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A Mainline DHT node on a real UDP socket: the node's state machine driven by one I/O thread.
 * Thread-safe; every operation returns a {@link CompletableFuture}
 * completed on a callback thread, never on the I/O thread, so a slow callback cannot stall the DHT.
 *
 * <pre>{@code
 * DhtConfig config = DhtConfig.builder().port(0).stateFile(Path.of("dht.state")).build();
 * try (DhtNode node = DhtNode.start(config)) {
 *     node.bootstrapped().get(30, TimeUnit.SECONDS);
 *     List<InetSocketAddress> peers = node.getPeers(infoHash).get();
 * }
 * }</pre>
 */
public final class DhtNode implements Dht, AutoCloseable {
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final DhtConfig config;
    private final UdpTransport transport;
    private final NodeCore core;
    private final DhtOperations ops;
    private final Dht operations = new LoopDht() {
        @Override
        protected <T> CompletableFuture<T> onLoop(Function<DhtOperations, CompletableFuture<T>> operation) {
            return DhtNode.this.onLoop(operation);
        }
    };
    private final ExecutorService callbacks;
    private final CompletableFuture<Void> bootstrapped = new CompletableFuture<>();
    private final LoopCalls calls;
    private final SavedRoutingTable savedTable;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile boolean closed;
    private final SiblingSupport sibling;
    private final Connectivity connectivity;

    private DhtNode(DhtConfig config, UdpTransport transport, NodeCore core) {
        this.config = config;
        this.transport = transport;
        this.core = core;
        this.ops = new DhtOperations(core);
        int instance = INSTANCES.incrementAndGet();
        this.callbacks = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dht-callback-" + instance);
            t.setDaemon(true);
            return t;
        });
        this.calls = new LoopCalls(transport, ops, callbacks, () -> closed);
        this.savedTable = new SavedRoutingTable(config, core);
        this.connectivity = new Connectivity(callbacks);
        this.sibling = new SiblingSupport(transport, core, ops, () -> closed);
    }

    /**
     * Binds the socket, loads the saved routing table (if any), starts the I/O thread and begins
     * bootstrapping in the background; see {@link #bootstrapped()}.
     *
     * @throws IOException if the socket cannot be bound or the state file is unreadable
     * @param config the configuration
     * @return the dht node
     */
    public static DhtNode start(DhtConfig config) throws IOException {
        return start(config, false);
    }

    /** As {@link #start(DhtConfig)}; {@code sharedPort}: the other family's socket binds the same port. */
    static DhtNode start(DhtConfig config, boolean sharedPort) throws IOException {
        Optional<RoutingTableFile.State> saved = SavedRoutingTable.load(config);
        NodeId id = config.nodeId() != null ? config.nodeId() : SavedRoutingTable.chooseId(saved);
        UdpTransport transport = UdpTransport.open(config.bindAddress(), sharedPort);
        NodeCore core = new NodeCore(id, config, UdpTransport::clock, new SecureRandom(), transport::send);
        DhtNode node = new DhtNode(config, transport, core);
        transport.start(core, "dht-loop-" + transport.localAddress().getPort());
        transport.terminated().whenComplete((v, error) -> {
            if (error != null) {
                node.loopDied(LoopCalls.unwrap(error));
            }
        });
        List<NodeInfo> known = SavedRoutingTable.nodesOfFamily(saved, transport.localAddress());
        transport.execute(() -> {
            core.start();
            node.savedTable.schedulePeriodicSave();
            core.onIdChange(node.savedTable::saveOnLoop); // a BEP 42 re-key is kept for the next start
        });
        Bootstrapper.inBackground(config, transport, core, node.calls, node.callbacks, known, () -> node.closed,
                node.bootstrapped, node.connectivity::changed);
        return node;
    }

    /**
     * Makes this node and {@code other} (bound to the other address family) one dual-stack node for
     * BEP 32: each answers {@code want} for the other family from the other's routing table, and hands
     * the other family's contacts it hears of to the other. See {@link DualStackNode}.
     */
    void pairWith(DhtNode other) {
        sibling.pairWith(other, bootstrapped);
    }

    /** {@return this node's half of a dual-stack pairing} */
    SiblingSupport sibling() {
        return sibling;
    }

    /**
     * Hears when the node finds itself cut off from the DHT ({@code false}: nothing answers; it keeps
     * probing with backoff) and when it is back ({@code true}: it has re-joined). Called on a callback
     * thread.
     *
     * @param listener the listener
     */
    public void onConnectivityChange(Consumer<Boolean> listener) {
        connectivity.listen(listener);
    }

    /** {@return whether the node is cut off from the DHT now (no answer for a while; it keeps trying)} */
    public boolean offline() {
        return connectivity.offline();
    }

    /**
     * Tells the node that the local network changed (new interface addresses, resume from sleep): it
     * forgets which nodes were silent and its external address votes, and joins again at once.
     */
    public void networkChanged() {
        transport.execute(() -> {
            if (!closed) {
                core.networkChanged();
            }
        });
    }

    /** {@return the most recent datagram the operating system refused to send (e.g. no route for the family)} */
    public Optional<SendFailure> lastSendFailure() {
        return transport.lastSendFailure();
    }

    /**
     * The I/O loop died (e.g. of OutOfMemoryError): from now on every operation fails at once, and
     * every pending one fails now, with a {@link DhtException} carrying the cause. Runs on a callback
     * thread when one can still be had.
     */
    private void loopDied(Throwable cause) {
        calls.loopDied(cause, error -> {
            bootstrapped.completeExceptionally(error);
            terminated.completeExceptionally(error);
        });
    }

    /**
     * Completes when the node stops: normally after {@link #close()}, or exceptionally with a
     * {@link DhtException} (whose cause is the original error) if its I/O loop died. A daemon should
     * watch this and exit non-zero: a node whose loop died no longer answers anyone.
     *
     * @return a future that completes when the node stops
     */
    public CompletableFuture<Void> terminated() {
        return terminated.copy();
    }

    /**
     * Why the node stopped working, if its I/O loop died.
     *
     * @return the failure; empty while the node runs and after a normal close
     */
    public Optional<DhtException> failure() {
        return Optional.ofNullable(calls.failure());
    }

    /**
     * Completes once the node has found other nodes; fails if no bootstrap node answered.
     *
     * @return a future that completes once the node has joined
     */
    public CompletableFuture<Void> bootstrapped() {
        return bootstrapped.copy();
    }

    /**
     * This node's id. It changes once if the node started with an id that does not conform to BEP 42
     * for the external address other nodes then agree on (see docs/protocol-notes.md); the new id is
     * saved with the routing table.
     *
     * @return the current id
     */
    public NodeId id() {
        return core.ownId();
    }

    /** {@return the bound UDP address} */
    public InetSocketAddress localAddress() {
        return transport.localAddress();
    }

    /**
     * Lets another protocol share this node's UDP socket: {@code filter} sees each datagram before
     * KRPC decoding (on the I/O thread) and keeps those it claims.
     *
     * @param filter the filter, or {@code null} to remove it
     */
    public void setDatagramFilter(DatagramFilter filter) {
        transport.setDatagramFilter(filter);
    }

    /**
     * Sends a datagram from this node's socket (thread-safe; a full buffer drops it, like the network).
     *
     * @param datagram the bytes to send
     * @param to the destination
     */
    public void sendDatagram(byte[] datagram, InetSocketAddress to) {
        transport.send(datagram, to);
    }

    /** {@return the configuration the node was started with} */
    public DhtConfig config() {
        return config;
    }

    /**
     * Counters and sizes, read on the loop.
     *
     * @return a future of the counters
     */
    public CompletableFuture<NodeStats> stats() {
        return onLoop(o -> CompletableFuture.completedFuture(core.stats()));
    }

    /**
     * The nodes currently in the routing table.
     *
     * @return a future of the nodes
     */
    public CompletableFuture<List<NodeInfo>> routingTable() {
        return onLoop(o -> CompletableFuture.completedFuture(SiblingSupport.tableNodes(core)));
    }

    /**
     * Our address as other nodes see it (BEP 42 votes), if known yet.
     *
     * @return a future of the address, empty while unknown
     */
    public CompletableFuture<Optional<InetSocketAddress>> externalAddress() {
        return onLoop(o -> CompletableFuture.completedFuture(Optional.ofNullable(core.externalAddress())));
    }

    /**
     * Starts counting unsolicited queries, then reports what the node can tell about its reachability.
     * A daemon uses it to find out whether strangers can reach it and whether it sits behind a
     * symmetric NAT.
     *
     * @return a future of the reachability seen so far
     */
    public CompletableFuture<Reachability> reachability() {
        return onLoop(o -> {
            core.observeReachability();
            return CompletableFuture.completedFuture(core.reachability());
        });
    }

    /**
     * Switches BEP 43 read-only mode (e.g. while the node finds itself unreachable).
     *
     * @param readOnly whether to send {@code ro=1} and stop answering queries
     * @return a future that completes once the mode is switched
     */
    public CompletableFuture<Void> setReadOnly(boolean readOnly) {
        return onLoop(o -> {
            core.setReadOnly(readOnly);
            return CompletableFuture.completedFuture(null);
        });
    }

    /**
     * Adds a node to try, e.g. a peer learned out of band; it enters the routing table if it answers.
     *
     * @param address the address
     * @return a future of the node's id, failing if it does not answer
     */
    public CompletableFuture<NodeId> addNode(InetSocketAddress address) {
        return ping(address);
    }

    @Override
    public CompletableFuture<NodeId> ping(InetSocketAddress address) {
        return operations.ping(address);
    }

    @Override
    public CompletableFuture<List<NodeInfo>> findNode(NodeId target) {
        return operations.findNode(target);
    }

    @Override
    public CompletableFuture<List<InetSocketAddress>> getPeers(NodeId infoHash) {
        return operations.getPeers(infoHash);
    }

    @Override
    public CompletableFuture<AnnounceResult> announce(NodeId infoHash, int port) {
        return operations.announce(infoHash, port);
    }

    @Override
    public CompletableFuture<Optional<ImmutableItem>> getImmutable(NodeId target) {
        return operations.getImmutable(target);
    }

    @Override
    public CompletableFuture<Optional<MutableItem>> getMutable(Ed25519PublicKey publicKey, byte[] salt) {
        return operations.getMutable(publicKey, salt);
    }

    @Override
    public CompletableFuture<List<MutableItem>> getMutableVersions(Ed25519PublicKey publicKey, byte[] salt) {
        return operations.getMutableVersions(publicKey, salt);
    }

    @Override
    public CompletableFuture<PutResult> putImmutable(ImmutableItem item) {
        return operations.putImmutable(item);
    }

    @Override
    public CompletableFuture<PutResult> putMutable(MutableItem item) {
        return operations.putMutable(item);
    }

    @Override
    public CompletableFuture<PutResult> putMutable(MutableItem item, long cas) {
        return operations.putMutable(item, cas);
    }

    @Override
    public CompletableFuture<PutResult> putMutable(Ed25519KeyPair keys, byte[] salt, byte[] bencodedValue) {
        return operations.putMutable(keys, salt, bencodedValue);
    }

    /** Runs an operation on the loop and hands its outcome to a callback thread (package-private for tests). */
    <T> CompletableFuture<T> onLoop(Function<DhtOperations, CompletableFuture<T>> operation) {
        return calls.onLoop(operation);
    }

    /** Saves the routing table, stops the I/O thread, closes the socket and fails pending operations. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (calls.failure() != null || transport.failure() != null) {
            closed = true; // nothing runs on a dead loop: no save, just release the socket
            transport.close();
            callbacks.shutdown();
            return;
        }
        savedTable.saveBeforeClose(transport);
        closed = true;
        transport.close();
        calls.failAll(() -> new DhtException("node closed"));
        bootstrapped.completeExceptionally(new DhtException("node closed"));
        terminated.complete(null);
        callbacks.shutdown();
    }
}
