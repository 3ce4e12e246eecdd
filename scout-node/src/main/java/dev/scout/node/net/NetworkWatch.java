package dev.scout.node.net;

import dev.scout.node.threads.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Watches the network under a node and signals each {@link NetworkChange} to its subscribers, on its
 * own thread, one change at a time and in order. Every {@link #POLL_MILLIS} it lists the interface
 * addresses, compares the wall clock with the monotonic one (sleep and resume) and reads the external
 * IPs the DHT reports; the DHT's return after an outage is signalled too. At most one change per look:
 * a burst of address changes (DHCP, a Wi-Fi roam) makes one signal, not ten.
 */
public final class NetworkWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkWatch.class);
    /** Between two looks: a change is noticed within this, well inside the 10 s the issue allows. */
    public static final long POLL_MILLIS = 2_000;

    private final Supplier<List<InetSocketAddress>> externals;
    private final List<Consumer<NetworkChange>> subscribers = new CopyOnWriteArrayList<>();
    private final ClockJump clock = new ClockJump();
    private final ScheduledExecutorService thread = DaemonThreads.scheduler("scout-network-watch");
    private Set<String> local;
    private Set<InetAddress> external = Set.of();

    /** @param externals the external addresses the DHT's nodes report for us now (may block briefly) */
    public NetworkWatch(Supplier<List<InetSocketAddress>> externals) {
        this.externals = externals;
    }

    /** Hears every change from now on, on the watch's thread. */
    public void subscribe(Consumer<NetworkChange> subscriber) {
        subscribers.add(subscriber);
    }

    /** Starts looking (the first look takes the baseline). */
    public void start() {
        thread.scheduleWithFixedDelay(this::look, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The DHT answers again after an outage (from its connectivity listener, any thread). */
    public void dhtBack() {
        submit(new NetworkChange(NetworkChange.Cause.DHT_BACK, "the DHT answers again after an outage"));
    }

    private void submit(NetworkChange change) {
        try {
            thread.execute(() -> signal(change));
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private void look() {
        try {
            NetworkChange change = next();
            if (change != null) {
                signal(change);
            }
        } catch (RuntimeException e) {
            LOG.warn("network watch: {}", e.toString());
        }
    }

    private NetworkChange next() {
        Set<String> nowLocal = LocalAddresses.now();
        long jump = clock.look(System.currentTimeMillis(), System.nanoTime());
        Set<InetAddress> nowExternal = new TreeSet<>(java.util.Comparator.comparing(InetAddress::getHostAddress));
        externals.get().forEach(a -> nowExternal.add(a.getAddress()));
        Set<String> before = local;
        local = nowLocal;
        Set<InetAddress> externalBefore = external;
        if (!nowExternal.isEmpty()) {
            external = nowExternal; // empty = not known yet (votes forgotten): not a change
        }
        if (before == null) {
            return null;
        }
        if (!before.equals(nowLocal)) {
            return new NetworkChange(NetworkChange.Cause.LOCAL_ADDRESSES,
                    "local addresses changed: " + LocalAddresses.difference(before, nowLocal));
        }
        if (jump != 0) {
            return new NetworkChange(NetworkChange.Cause.RESUMED,
                    "the wall clock jumped " + jump / 1000 + " s against the monotonic clock (sleep and resume?)");
        }
        if (!externalBefore.isEmpty() && !nowExternal.isEmpty() && !externalBefore.equals(nowExternal)) {
            return new NetworkChange(NetworkChange.Cause.EXTERNAL_ADDRESS, "external address changed: "
                    + text(externalBefore) + " -> " + text(nowExternal));
        }
        return null;
    }

    private static String text(Set<InetAddress> ips) {
        return String.join(", ", ips.stream().map(InetAddress::getHostAddress).toList());
    }

    private void signal(NetworkChange change) {
        LOG.info("network change: {}", change.description());
        for (Consumer<NetworkChange> s : subscribers) {
            try {
                s.accept(change);
            } catch (RuntimeException e) {
                LOG.warn("a network-change subscriber failed: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
