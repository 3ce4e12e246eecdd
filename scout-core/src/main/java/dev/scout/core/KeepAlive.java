package dev.scout.core;

import dev.scout.dht.Dht;
import dev.scout.dht.NodeId;
import dev.scout.dht.PutResult;
import dev.scout.dht.ImmutableItem;
import dev.scout.dht.MutableItem;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps items in the DHT beyond their two-hour expiry by storing them again about every
 * {@code interval} (one hour by default). Each re-store happens after a random pause in
 * {@code [interval·(1−jitter), interval]}, so many items (and many users) do not refresh in
 * lockstep.
 *
 * <ul>
 *   <li>An immutable value is stored again as is.</li>
 *   <li>A mutable item is stored again exactly as last written (same seq, value and signature,
 *       no cas). If a node answers that it holds a newer version (someone else wrote since), the
 *       newest version is read, adopted and kept alive instead: it is just as validly signed.
 *       Meeting a newer version never fails a refresh.</li>
 * </ul>
 *
 * <p><b>Threads.</b> Timers fire on the scheduler thread (by default one daemon thread named
 * {@code scout-keepalive}), which only starts the asynchronous put; completions and
 * {@link Registration#nextRefresh()} run on the DHT's callback thread. Thread-safe.
 *
 * <pre>{@code
 * try (KeepAlive keepAlive = KeepAlive.start(dht, Duration.ofHours(1))) {
 *     KeepAlive.Registration r = keepAlive.register(syncResult.item());
 *     ...
 *     r.cancel();
 * }
 * }</pre>
 */
public final class KeepAlive implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KeepAlive.class);

    /** About hourly: well inside the DHT's two-hour expiry even if one refresh fails. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofHours(1);
    /** Refreshes happen up to 10% earlier than the interval. */
    public static final double DEFAULT_JITTER = 0.1;

    private final Dht dht;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final RefreshTiming timing;
    private final Map<NodeId, Registration> registrations = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * A keep-alive on an injected scheduler (not shut down by {@link #close()}).
     *
     * @param interval time between re-stores (before jitter)
     * @param jitter fraction in [0, 1) by which a re-store may come early
     * @param dht the DHT
     * @param scheduler the scheduler
     * @param random the source of randomness
     */
    public KeepAlive(Dht dht, ScheduledExecutorService scheduler, Duration interval, double jitter, Random random) {
        this(dht, scheduler, false, interval, jitter, random);
    }

    private KeepAlive(Dht dht, ScheduledExecutorService scheduler, boolean ownsScheduler, Duration interval,
                      double jitter, Random random) {
        this.dht = Objects.requireNonNull(dht, "dht");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.ownsScheduler = ownsScheduler;
        this.timing = new RefreshTiming(interval, jitter, random);
    }

    /**
     * A keep-alive with its own scheduler thread and the default interval.
     * @param dht the DHT
     * @return the running keep-alive
     */
    public static KeepAlive start(Dht dht) {
        return start(dht, DEFAULT_INTERVAL);
    }

    /**
     * A keep-alive with its own scheduler thread ({@code scout-keepalive}, a daemon).
     * @param dht the DHT
     * @param interval time between re-stores
     * @return the running keep-alive
     */
    public static KeepAlive start(Dht dht, Duration interval) {
        return start(dht, interval, DEFAULT_JITTER, new SecureRandom());
    }

    /**
     * A keep-alive with its own scheduler thread ({@code scout-keepalive}, a daemon), stopped by {@link #close()}.
     *
     * @param dht the DHT
     * @param interval the interval
     * @param jitter the fraction by which a re-store may come early
     * @param random the source of randomness
     * @return the running keep-alive
     */
    public static KeepAlive start(Dht dht, Duration interval, double jitter, Random random) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "scout-keepalive");
            t.setDaemon(true);
            return t;
        });
        try {
            return new KeepAlive(dht, scheduler, true, interval, jitter, random);
        } catch (RuntimeException e) {
            scheduler.shutdownNow();
            throw e;
        }
    }

    /**
     * Time between re-stores.
     *
     * @return the interval
     */
    public Duration interval() {
        return Duration.ofMillis(timing.intervalMillis());
    }

    /**
     * Keeps a mutable item alive, replacing any registration for its target. The first re-store
     * comes one (jittered) interval from now: register right after writing.
     *
     * @param item the item
     * @return the registration
     */
    public Registration register(MutableItem item) {
        Objects.requireNonNull(item, "item");
        if (!item.verify()) {
            throw new IllegalArgumentException("cannot keep alive a mutable item whose signature does not verify");
        }
        return add(new Registration(item.target(), item, null));
    }

    /**
     * Keeps an immutable value (bencoded, at most 1000 bytes) alive; see {@link #register(MutableItem)}.
     *
     * @param bencodedValue the bencoded value
     * @return the registration
     */
    public Registration register(byte[] bencodedValue) {
        ImmutableItem item = new ImmutableItem(bencodedValue);
        return add(new Registration(item.target(), null, item.value()));
    }

    private Registration add(Registration registration) {
        if (closed) {
            throw new IllegalStateException("keep-alive is closed");
        }
        Registration previous = registrations.put(registration.target, registration);
        if (previous != null) {
            previous.stop();
        }
        registration.scheduleNext();
        return registration;
    }

    /**
     * Stops keeping {@code target} alive; false if it was not registered.
     *
     * @param target the target (an item's or a node's key)
     * @return false if it was not registered
     */
    public boolean unregister(NodeId target) {
        Registration r = registrations.remove(target);
        if (r == null) {
            return false;
        }
        r.stop();
        return true;
    }

    /**
     * The registration for {@code target}, if any.
     *
     * @param target the target (an item's or a node's key)
     * @return the registration for {@code target}, if any
     */
    public Optional<Registration> registration(NodeId target) {
        return Optional.ofNullable(registrations.get(target));
    }

    /** {@return all current registrations} */
    public List<Registration> registrations() {
        return List.copyOf(registrations.values());
    }

    /**
     * If {@code item}'s target is registered as a mutable item, keeps this newer version alive
     * from now on (ignored when it is not newer than the registered one).
     *
     * @param item the item
     */
    public void offer(MutableItem item) {
        Registration r = registrations.get(item.target());
        if (r != null && r.item != null) {
            r.adopt(item);
        }
    }

    /** Cancels every registration and, if this keep-alive created its scheduler, stops its thread. */
    @Override
    public void close() {
        closed = true;
        for (NodeId target : new ArrayList<>(registrations.keySet())) {
            unregister(target);
        }
        if (ownsScheduler) {
            scheduler.shutdownNow();
        }
    }

    /** Nodes that hold the item after a re-store (see {@link RefreshRecord#alive}). */
    static long alive(PutResult result) {
        return RefreshRecord.alive(result);
    }

    /** One kept-alive item. */
    public final class Registration {
        private final NodeId target;
        private final byte[] immutableValue;
        private volatile MutableItem item;
        private volatile boolean active = true;
        private final RefreshRecord record = new RefreshRecord();
        private ScheduledFuture<?> timer;
        private final MutableRestore restore = new MutableRestore(dht, this::adopt);

        private Registration(NodeId target, MutableItem item, byte[] immutableValue) {
            this.target = target;
            this.item = item;
            this.immutableValue = immutableValue;
        }

        /** {@return the DHT target being kept alive} */
        public NodeId target() {
            return target;
        }

        /** {@return the mutable item currently kept alive, empty for an immutable value} */
        public Optional<MutableItem> item() {
            return Optional.ofNullable(item);
        }

        /**
         * False once cancelled, unregistered, replaced or closed.
         *
         * @return true until the registration is cancelled or the keep-alive closed
         */
        public boolean isActive() {
            return active;
        }

        /**
         * Re-stores that reached at least one node.
         *
         * @return the refresh count
         */
        public long refreshCount() {
            return record.refreshes();
        }

        /**
         * Re-stores that failed or reached no node.
         *
         * @return the failure count
         */
        public long failureCount() {
            return record.failures();
        }

        /** {@return the result of the latest successful re-store} */
        public Optional<PutResult> lastResult() {
            return record.lastResult();
        }

        /** {@return the error of the latest failed re-store (cleared by a success)} */
        public Optional<Throwable> lastError() {
            return record.lastError();
        }

        /**
         * Completes when the next re-store finishes: with its result, or exceptionally with its
         * error; cancelled if the registration stops first.
         *
         * @return a future of the next re-store's result
         */
        public synchronized CompletableFuture<PutResult> nextRefresh() {
            return record.next().copy();
        }

        /** Stops keeping this item alive. */
        public void cancel() {
            registrations.remove(target, this);
            stop();
        }

        private void stop() {
            CompletableFuture<PutResult> pending;
            synchronized (this) {
                if (!active) {
                    return;
                }
                active = false;
                if (timer != null) {
                    timer.cancel(false);
                }
                pending = record.next();
            }
            pending.completeExceptionally(new CancellationException("keep-alive of " + target + " stopped"));
        }

        /** Takes {@code newer} if it is a newer, valid version of this item; true if it did. */
        private boolean adopt(MutableItem newer) {
            synchronized (this) {
                if (MutableRestore.isNewerVersion(item, newer)) {
                    item = newer;
                    return true;
                }
                return false;
            }
        }

        private synchronized void scheduleNext() {
            if (!active || closed) {
                return;
            }
            try {
                timer = scheduler.schedule(this::refresh, timing.nextDelay(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                LOG.debug("keep-alive scheduler stopped; {} is no longer refreshed", target);
            }
        }

        /** Runs on the scheduler thread: starts the put, returns at once. */
        private void refresh() {
            if (!active) {
                return;
            }
            CompletableFuture<PutResult> put;
            try {
                MutableItem current = item;
                put = current != null ? restore.put(current) : dht.putImmutable(ImmutableItem.ofBencoded(immutableValue));
            } catch (RuntimeException e) {
                put = CompletableFuture.failedFuture(e);
            }
            put.whenComplete(this::refreshed);
        }

        private void refreshed(PutResult result, Throwable error) {
            Throwable cause = error == null ? null : Synchronizer.unwrap(error);
            if (cause == null && alive(result) == 0) {
                cause = new dev.scout.dht.DhtException("re-store of " + target + " reached no node");
            }
            CompletableFuture<PutResult> done;
            synchronized (this) {
                done = record.record(result, cause);
            }
            if (cause != null) {
                LOG.info("keep-alive re-store of {} failed: {}", target, cause.toString());
            }
            // The next timer is set before anyone waiting on this refresh resumes, so a caller that
            // drives the scheduler itself (tests) always finds it.
            scheduleNext();
            if (cause == null) {
                done.complete(result);
            } else {
                done.completeExceptionally(cause);
            }
        }

        @Override
        public String toString() {
            return "KeepAlive.Registration[" + target + (item != null ? ", seq " + item.seq() : ", immutable")
                    + ", refreshes=" + record.refreshes() + (active ? "" : ", stopped") + "]";
        }
    }
}
