package dev.scout.session;

import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.Ed25519PublicKey;
import dev.scout.session.handshake.HandshakeGate;
import dev.scout.session.path.PunchCandidates;
import dev.scout.session.stream.BufferBudget;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct sessions for one identity over one UDP socket (shared with its DHT node through
 * {@link DatagramLink#of}). {@link #connect} punches through NATs by sending the Noise IK
 * initiation to every published address of the contact at once, and keeps the first path that
 * answers; incoming sessions from accepted contacts arrive at {@link #onSession}.
 *
 * <pre>{@code
 * SessionEndpoint alice = SessionEndpoint.start(aliceId, DatagramLink.of(node), contacts::contains,
 *         SessionConfig.defaults());
 * Session s = alice.connect(bobKey, List.of(bobExternal, bobLan)).get();
 * }</pre>
 *
 * All protocol state lives on one loop thread; futures and listeners complete on a callback pool.
 */
public final class SessionEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionEndpoint.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final Ed25519KeyPair identity;
    private final DatagramLink link;
    private final SessionConfig config;
    private final ScheduledThreadPoolExecutor loop;
    private final ExecutorService callbacks;
    private final Map<Long, Connection> connections = new ConcurrentHashMap<>();
    private final Handshaker handshaker;
    final PathKeeper paths; // the kept-open NAT permissions (Handshaker records new ones)
    final BufferBudget buffers = new BufferBudget(BufferBudget.ENDPOINT_LIMIT); // every session's receive buffers
    private final DatagramInbox inbox;
    private volatile Consumer<Session> listener;
    private volatile NatType localNat = NatType.UNKNOWN;
    final PunchCandidates candidates = new PunchCandidates(); // for relayed sessions' hole punching
    private volatile boolean closed;

    private SessionEndpoint(Ed25519KeyPair identity, DatagramLink link, AccessPolicy policy, SessionConfig config) {
        this.identity = identity;
        this.link = link;
        this.config = config;
        int n = INSTANCES.incrementAndGet();
        this.loop = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "session-loop-" + n));
        loop.setRemoveOnCancelPolicy(true);
        this.callbacks = Executors.newCachedThreadPool(r -> daemon(r, "session-callback-" + n));
        this.handshaker = new Handshaker(this, identity, policy);
        this.paths = new PathKeeper(this, policy);
        this.inbox = new DatagramInbox(this, loop, handshaker, paths, connections, () -> closed);
        long every = config.pathKeepEvery().toNanos();
        loop.scheduleWithFixedDelay(() -> runGuarded(() -> paths.tick(now())), every, every, TimeUnit.NANOSECONDS);
    }

    /**
     * Starts an endpoint for {@code identity} on {@code link}; from now on it claims session
     * datagrams arriving there. Only identities {@code policy} accepts can open sessions with us.
     * Starts a loop thread and a callback pool, both stopped by {@link #close()}.
     *
     * @param identity our identity key pair (the Noise static key is derived from it)
     * @param link the socket to use, possibly shared with a DHT node
     * @param policy decides incoming handshakes (on the loop thread)
     * @param config timings
     * @return the running endpoint
     */
    public static SessionEndpoint start(Ed25519KeyPair identity, DatagramLink link, AccessPolicy policy, SessionConfig config) {
        SessionEndpoint e = new SessionEndpoint(identity, link, policy, config);
        link.setReceiver(e::claim);
        return e;
    }

    /**
     * Connects to {@code peer} at any of {@code addresses} (NAT types unknown); see
     * {@link #connect(Ed25519PublicKey, List, NatType)}.
     *
     * @param peer the contact's identity key
     * @param addresses where to send the handshake, all at once
     * @return the session, once a path answers
     */
    public CompletableFuture<Session> connect(Ed25519PublicKey peer, List<InetSocketAddress> addresses) {
        return connect(peer, addresses, NatType.UNKNOWN);
    }

    /**
     * Connects to {@code peer}, sending to all {@code addresses} simultaneously (the peer should do
     * the same towards us, e.g. on seeing our connect intent, so both NATs open). Completes with the
     * session on the first path that answers; fails with {@link NoDirectPathException} after the
     * connect timeout, naming the addresses tried and the NAT types ({@code peerNat}, ours as set by
     * {@link #setLocalNatType}).
     *
     * @param peer the contact's identity key
     * @param addresses where to send the handshake, all at once (copied)
     * @param peerNat the contact's NAT type as we know it (only named in the failure message)
     * @return the session, completed on a callback thread
     */
    public CompletableFuture<Session> connect(Ed25519PublicKey peer, List<InetSocketAddress> addresses, NatType peerNat) {
        return connect(peer, addresses, peerNat, config.connectTimeout());
    }

    /**
     * {@link #connect(Ed25519PublicKey, List, NatType)} giving up (and so stopping to send) after
     * {@code timeout}, e.g. a short try of a {@link #livePath live path} before a rendezvous.
     *
     * @param peer the contact's identity key
     * @param addresses where to send the handshake, all at once (copied)
     * @param peerNat the contact's NAT type as we know it (only named in the failure message)
     * @param timeout positive
     * @return the session, completed on a callback thread
     */
    public CompletableFuture<Session> connect(Ed25519PublicKey peer, List<InetSocketAddress> addresses, NatType peerNat,
                                              java.time.Duration timeout) {
        return connect(peer, addresses, List.of(), peerNat, timeout);
    }

    /**
     * Connects to {@code peer} through {@code addresses} at once (typically the route through the
     * contact's relay, docs/sessions.md "Relay first, then direct") and, once a session stands on a
     * relay, punches towards {@code punch} — the contact's direct addresses, not sent to before then:
     * our addresses go to the contact inside the session, and both sides' probes are timed by the relayed
     * round trip so that they cross. The session moves to the direct path when a probe is answered
     * ({@link Session#onPathChange}).
     *
     * @param peer the contact's identity key
     * @param addresses where to send the handshake, all at once (copied)
     * @param punch the contact's direct addresses, for hole punching after a relayed handshake (copied)
     * @param peerNat the contact's NAT type as we know it (only named in the failure message)
     * @param timeout positive
     * @return the session, completed on a callback thread
     */
    public CompletableFuture<Session> connect(Ed25519PublicKey peer, List<InetSocketAddress> addresses,
                                              List<InetSocketAddress> punch, NatType peerNat, java.time.Duration timeout) {
        CompletableFuture<Session> f = new CompletableFuture<>();
        if (addresses.isEmpty()) {
            f.completeExceptionally(new NoDirectPathException("no address known for " + peer));
            return f;
        }
        if (closed) {
            f.completeExceptionally(new SessionException("session endpoint is closed"));
            return f;
        }
        List<InetSocketAddress> copy = List.copyOf(addresses);
        List<InetSocketAddress> punchCopy = List.copyOf(punch);
        long timeoutNanos = Math.max(1, timeout.toNanos());
        runOnLoop(() -> handshaker.connect(peer, copy, punchCopy, peerNat, timeoutNanos, f));
        return f;
    }

    /**
     * Enables hole punching from relayed sessions (off until called): {@code ours} gives this device's
     * addresses for contacts (sent to the peer, authenticated, inside a relayed session), {@code allowed}
     * decides which of a peer's addresses we probe (e.g. {@link ContactAddressPolicy#allows}).
     *
     * @param ours called on the loop thread; at most {@value dev.scout.session.transport.FrameCodec#MAX_CANDIDATES} are sent
     * @param allowed called on the loop thread
     */
    public void setHolePunching(java.util.function.Supplier<List<InetSocketAddress>> ours,
                                java.util.function.Predicate<InetSocketAddress> allowed) {
        candidates.set(ours, allowed);
    }

    /**
     * Receives incoming sessions from accepted contacts. Without a listener they are closed.
     *
     * @param listener called on a callback thread
     */
    public void onSession(Consumer<Session> listener) {
        this.listener = listener;
    }

    /**
     * Tells the endpoint what the owner knows about our NAT (e.g. from the DHT's address votes).
     *
     * @param nat named in connect failures
     */
    public void setLocalNatType(NatType nat) {
        this.localNat = nat;
    }

    /** {@return our NAT type as last set by {@link #setLocalNatType} ({@link NatType#UNKNOWN} until then)} */
    public NatType localNatType() {
        return localNat;
    }

    /**
     * The kept-open NAT permission towards {@code peer} (docs/sessions.md): after a session with it
     * both endpoints send each other a KEEP datagram every {@link SessionConfig#pathKeepEvery()}; while
     * the peer's arrive, a {@link #connect} to this address gets through both NATs in one round trip.
     * Forgotten after {@link SessionConfig#pathSilence()} of silence, when the access policy stops
     * accepting the key, or by {@link #forgetPath}.
     *
     * @param peer a contact's identity key
     * @return where its KEEPs come from if one arrived within 2.5 keep intervals (or the session was
     *         established that recently), else empty
     */
    public Optional<InetSocketAddress> livePath(Ed25519PublicKey peer) {
        return paths.live(peer, now());
    }

    /**
     * Stops keeping the path to {@code peer} open (the access policy rejecting it does so too).
     *
     * @param peer a contact's identity key
     */
    public void forgetPath(Ed25519PublicKey peer) {
        runOnLoop(() -> paths.forget(peer));
    }

    /** {@return our identity's public key} */
    public Ed25519PublicKey publicKey() {
        return identity.publicKey();
    }

    /** {@return the link's local address} */
    public InetSocketAddress localAddress() {
        return link.localAddress();
    }

    /** Ends every session abruptly (peers are told), fails pending connects and stops claiming datagrams. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        link.setReceiver(null);
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            handshaker.closeAll();
            paths.clear();
            for (Connection c : List.copyOf(connections.values())) {
                c.abort("session endpoint closed");
            }
            done.complete(null);
        });
        try {
            done.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("closing sessions", e);
        }
        loop.shutdown();
        callbacks.shutdown();
    }

    // ---- the shared socket (link thread)

    /** Takes session datagrams; everything else (KRPC starts with 'd') is left to the DHT. */
    boolean claim(byte[] buffer, int length, InetSocketAddress from) {
        return inbox.claim(buffer, length, from);
    }

    /** Runs {@code task} for session {@code c}; anything it throws ends that session, not the loop. */
    static void guarded(Connection c, Runnable task) {
        try {
            task.run();
        } catch (Throwable e) {
            LOG.warn("session task failed; ending {}", c, e);
            c.fail("internal error: " + e);
        }
    }

    // ---- for Connection and Handshaker (loop thread unless noted)

    SessionConfig config() {
        return config;
    }

    long now() {
        return System.nanoTime();
    }

    void transmit(byte[] datagram, InetSocketAddress to) {
        link.send(datagram, to);
    }

    /** Any thread. */
    void runOnLoop(Runnable task) {
        try {
            loop.execute(() -> runGuarded(task));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("endpoint closed; task dropped");
        }
    }

    private static void runGuarded(Runnable task) {
        try {
            task.run();
        } catch (Throwable e) { // the loop thread must survive whatever one task throws
            LOG.warn("session task failed", e);
        }
    }

    /** Any thread. */
    void callback(Runnable task) {
        try {
            callbacks.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            task.run(); // closing: complete futures on the caller rather than never
        }
    }

    void schedule(Connection c, long atNanos) {
        scheduleAt(() -> guarded(c, () -> c.onTimer(now())), atNanos);
    }

    void scheduleHandshakeTimer(long atNanos) {
        scheduleAt(() -> runGuarded(handshaker::onTimer), atNanos);
    }

    private void scheduleAt(Runnable timer, long atNanos) {
        try {
            loop.schedule(timer, Math.max(0, atNanos - now()), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("endpoint closed; timer dropped");
        }
    }

    void register(Connection c) {
        connections.put(c.localId, c);
    }

    void forget(Connection c) {
        connections.remove(c.localId);
        paths.discard(c.localId);
        handshaker.forget(c);
    }

    /** Tests: half-open responder sessions now (asks the loop). */
    int unconfirmedCount() {
        return onLoop(handshaker::unconfirmedCount);
    }

    /** Tests and diagnostics: {@code value} computed on the loop thread. */
    <T> T onLoop(java.util.function.Supplier<T> value) {
        CompletableFuture<T> f = new CompletableFuture<>();
        runOnLoop(() -> f.complete(value.get()));
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the session loop did not answer", e);
        }
    }

    HandshakeGate handshakeGate() {
        return handshaker.gate();
    }

    /** The responder saw the initiator's first packet: the session is usable. */
    void onConfirmed(Connection c) {
        handshaker.confirmed(c);
        paths.confirmed(c.localId, c.remoteAddress(), now());
        if (c.mergedConnect != null) {
            CompletableFuture<Session> f = c.mergedConnect;
            callback(() -> f.complete(c));
            return;
        }
        Consumer<Session> l = listener;
        if (l == null) {
            c.abort("no listener for incoming sessions");
            return;
        }
        callback(() -> l.accept(c));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
