package dev.scout.core;

import dev.scout.core.crypto.PairKeys;
import dev.scout.core.message.ListToken;
import dev.scout.core.message.MessageId;
import dev.scout.core.message.MessageList;
import dev.scout.core.message.StoredMessage;
import dev.scout.dht.Dht;
import dev.scout.dht.DhtConfig;
import dev.scout.dht.ImmutableItem;
import dev.scout.dht.udp.DhtNode;
import dev.scout.dht.NodeId;
import dev.scout.dht.PutResult;
import dev.scout.dht.MutableItem;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Everything an application needs from Scout on one DHT node: contact-record
 * {@linkplain #synchronize synchronization}, offline messages ({@link #putMessage},
 * {@link #walkMessages}), and a
 * {@linkplain #keepAlive(MutableItem) keep-alive} that re-stores items about hourly so they
 * outlive the DHT's two-hour expiry.
 *
 * <p>{@link #start(DhtConfig)} runs its own {@link DhtNode} (a UDP socket and an I/O thread),
 * which {@link #close()} stops; {@link #over(Dht)} uses a DHT the caller owns (a shared node, or a simulated one in tests), which {@code close} leaves running.
 *
 * <p><b>Threads.</b> Every operation returns at once with a {@link CompletableFuture}; nothing
 * blocks. Futures and {@link SyncListener} callbacks complete on the thread that completed the
 * underlying DHT operation — for a {@code DhtNode} one of its callback threads, never its I/O
 * loop — so callbacks may do moderate work but should not block for long. Pauses between
 * synchronize attempts use the {@link Delayer} (real time by default: a common-pool thread).
 * Keep-alive timers fire on the keep-alive scheduler thread ({@code scout-keepalive} unless one
 * is injected). The session is thread-safe.
 *
 * <pre>{@code
 * try (DhtClient session = DhtClient.start(DhtConfig.builder().port(0).build())) {
 *     session.bootstrapped().get(30, TimeUnit.SECONDS);
 *     SyncResult r = session.synchronize(keys, myEntries, SyncListener.NONE).get(60, TimeUnit.SECONDS);
 *     session.keepAlive(r.item());
 * }
 * }</pre>
 */
public final class DhtClient implements AutoCloseable {

    private final Dht dht;
    private final DhtNode ownedNode;
    private final Synchronizer synchronizer;
    private final MessageList messages;
    private final KeepAlive keepAlive;
    private volatile boolean closed;

    private DhtClient(Builder b, Dht dht, DhtNode ownedNode) {
        this.dht = dht;
        this.ownedNode = ownedNode;
        Random random = b.random != null ? b.random : new SecureRandom();
        this.synchronizer = new Synchronizer(dht, b.delayer, b.syncPolicy, random);
        this.messages = new MessageList(dht);
        if (b.keepAliveScheduler != null) {
            this.keepAlive = new KeepAlive(dht, b.keepAliveScheduler, b.keepAliveInterval, b.keepAliveJitter, random);
        } else {
            this.keepAlive = KeepAlive.start(dht, b.keepAliveInterval, b.keepAliveJitter, random);
        }
    }

    /**
     * Starts a DHT node with {@code config} (binding its socket and starting its threads) and a
     * session with default settings on it; {@link #close()} stops the node. Bootstrapping
     * continues in the background: see {@link #bootstrapped()}.
     *
     * @throws IOException if the socket cannot be bound
     * @param config the configuration
     * @return the dht session
     */
    public static DhtClient start(DhtConfig config) throws IOException {
        return builder().start(config);
    }

    /**
     * A session with default settings on a DHT the caller owns and closes.
     *
     * @param dht the DHT
     * @return a session with default settings on a DHT the caller owns and closes
     */
    public static DhtClient over(Dht dht) {
        return builder().over(dht);
    }

    /**
     * Session settings; finish with {@link Builder#start(DhtConfig)} or {@link Builder#over(Dht)}.
     *
     * <pre>{@code
     * DhtClient session = DhtClient.builder().keepAliveInterval(Duration.ofMinutes(50)).start(config);
     * }</pre>
     *
     * @return this builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The DHT, for low-level operations (ping, peers, items of your own). Contact records, messages
     * and keep-alive are reached through this session's methods only.
     *
     * @return the DHT, for low-level operations (ping, peers, items of your own)
     */
    public Dht dht() {
        return dht;
    }

    /**
     * Completes once the node has joined the DHT (for a node this session started, or any
     * {@link DhtNode}); at once for other {@link Dht} implementations.
     *
     * @return a future that completes once the node has joined
     */
    public CompletableFuture<Void> bootstrapped() {
        return dht instanceof DhtNode node ? node.bootstrapped() : CompletableFuture.completedFuture(null);
    }

    /**
     * Synchronizes the pair's contact record (empty salt); see {@link Synchronizer}.
     *
     * @param keys the key pair
     * @param localEntries this side's entries
     * @param listener callbacks of this call
     * @return a future of the merged record as written
     */
    public CompletableFuture<SyncResult> synchronize(PairKeys keys, List<RecordEntry> localEntries, SyncListener listener) {
        return synchronize(keys, new byte[0], localEntries, listener);
    }

    /**
     * Synchronizes the pair's contact record under an application namespace {@code salt}; see
     * {@link Synchronizer#synchronize(PairKeys, byte[], List, SyncListener)}. When the record is
     * registered for keep-alive, the version written becomes the one kept alive.
     *
     * @param keys the key pair
     * @param salt the salt (empty: none)
     * @param localEntries this side's entries
     * @param listener callbacks of this call
     * @return a future of the merged record as written
     */
    public CompletableFuture<SyncResult> synchronize(PairKeys keys, byte[] salt, List<RecordEntry> localEntries,
                                                     SyncListener listener) {
        checkOpen();
        CompletableFuture<SyncResult> out = new CompletableFuture<>();
        synchronizer.synchronize(keys, salt, localEntries, listener).whenComplete((result, error) -> {
            if (error != null) {
                out.completeExceptionally(error);
                return;
            }
            // Before the caller sees the result, so a keep-alive never re-stores an older version.
            keepAlive.offer(result.item());
            out.complete(result);
        });
        return out;
    }

    /**
     * Reads and decrypts the pair's current record without writing.
     *
     * @param keys the key pair
     * @param salt the salt (empty: none)
     * @return a future of the record, or empty if none exists
     */
    public CompletableFuture<Optional<RecordItem>> readRecord(PairKeys keys, byte[] salt) {
        checkOpen();
        return synchronizer.read(keys, salt);
    }

    /**
     * Stores a pushed message; see {@link MessageList#put}.
     *
     * @param token the pushed message
     * @return a future of the put
     */
    public CompletableFuture<PutResult> putMessage(ListToken token) {
        checkOpen();
        return messages.put(token);
    }

    /**
     * Reads one message; see {@link MessageList#get}.
     *
     * @param id the id
     * @return a future of the message, or empty if no node returned it
     */
    public CompletableFuture<Optional<StoredMessage>> getMessage(MessageId id) {
        checkOpen();
        return messages.get(id);
    }

    /**
     * Reads a message list newest first; see {@link MessageList#walk}.
     *
     * @param head the newest message
     * @param stopAt stop before this message
     * @param max the most messages to return
     * @return a future of the messages, newest first
     */
    public CompletableFuture<List<StoredMessage>> walkMessages(MessageId head, MessageId stopAt, int max) {
        checkOpen();
        return messages.walk(head, stopAt, max);
    }

    /**
     * Re-stores a mutable item (e.g. {@link SyncResult#item()}) about every keep-alive interval.
     *
     * @param item the item
     * @return the registration
     */
    public KeepAlive.Registration keepAlive(MutableItem item) {
        checkOpen();
        return keepAlive.register(item);
    }

    /**
     * Re-stores a message blob about every keep-alive interval.
     *
     * @param token the pushed message
     * @return the registration
     */
    public KeepAlive.Registration keepAlive(ListToken token) {
        checkOpen();
        return keepAlive.register(token.value());
    }

    /**
     * Re-stores an immutable item about every keep-alive interval.
     *
     * @param item the item
     * @return the registration
     */
    public KeepAlive.Registration keepAlive(ImmutableItem item) {
        checkOpen();
        return keepAlive.register(item.value());
    }

    /** {@return every item this session keeps alive} */
    public List<KeepAlive.Registration> keepAliveRegistrations() {
        return keepAlive.registrations();
    }

    /**
     * Stops re-storing {@code target}; false if it was not registered.
     *
     * @param target the target (an item's or a node's key)
     * @return false if it was not registered
     */
    public boolean unregister(NodeId target) {
        return keepAlive.unregister(target);
    }

    /** Stops the keep-alive and, if this session started its DHT node, the node. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        keepAlive.close();
        if (ownedNode != null) {
            ownedNode.close();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("session is closed");
        }
    }

    /** Settings of a {@link DhtClient}; every one has a sensible default. */
    public static final class Builder {
        private Duration keepAliveInterval = KeepAlive.DEFAULT_INTERVAL;
        private double keepAliveJitter = KeepAlive.DEFAULT_JITTER;
        private ScheduledExecutorService keepAliveScheduler;
        private SyncPolicy syncPolicy = SyncPolicy.DEFAULT;
        private Delayer delayer = Delayer.realTime();
        private Random random;

        private Builder() {
        }

        /**
         * Time between re-stores of kept-alive items (default one hour).
         *
         * @param interval the interval
         * @return this builder
         */
        public Builder keepAliveInterval(Duration interval) {
            this.keepAliveInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * Fraction in [0, 1) by which a re-store may come early (default 0.1).
         *
         * @param jitter the fraction by which a re-store may come early
         * @return this builder
         */
        public Builder keepAliveJitter(double jitter) {
            this.keepAliveJitter = jitter;
            return this;
        }

        /**
         * Scheduler for keep-alive timers; the caller owns it (default: a thread of the session's own).
         *
         * @param scheduler the scheduler
         * @return this builder
         */
        public Builder keepAliveScheduler(ScheduledExecutorService scheduler) {
            this.keepAliveScheduler = scheduler;
            return this;
        }

        /**
         * Attempts and pauses of synchronize (default {@link SyncPolicy#DEFAULT}).
         *
         * @param policy the retry policy
         * @return this builder
         */
        public Builder syncPolicy(SyncPolicy policy) {
            this.syncPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * How synchronize pauses between attempts (default real time).
         *
         * @param delayer how to pause
         * @return how synchronize pauses between attempts (default real time)
         */
        public Builder delayer(Delayer delayer) {
            this.delayer = Objects.requireNonNull(delayer, "delayer");
            return this;
        }

        /**
         * Randomness for jitter (default a {@link SecureRandom}); seed it for reproducible tests.
         *
         * @param random the source of randomness
         * @return this builder
         */
        public Builder random(Random random) {
            this.random = random;
            return this;
        }

        /**
         * Starts a DHT node with {@code config} and a session on it that owns it: closing the
         * session stops the node.
         *
         * @throws IOException if the socket cannot be bound
         * @param config the configuration
         * @return the dht session
         */
        public DhtClient start(DhtConfig config) throws IOException {
            DhtNode node = DhtNode.start(config);
            try {
                return new DhtClient(this, node, node);
            } catch (RuntimeException e) {
                node.close();
                throw e;
            }
        }

        /**
         * A session on a DHT the caller owns: closing the session leaves it running.
         *
         * @param dht the DHT
         * @return a session on a DHT the caller owns: closing the session leaves it running
         */
        public DhtClient over(Dht dht) {
            return new DhtClient(this, Objects.requireNonNull(dht, "dht"), null);
        }
    }
}
