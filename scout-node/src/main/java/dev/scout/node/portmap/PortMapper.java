package dev.scout.node.portmap;

import dev.scout.node.threads.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Keeps one UDP port — the DHT socket's, nothing else — mapped on the home router (docs/operations.md,
 * "Port mapping"): PCP first, then NAT-PMP, then UPnP IGD, all on a thread of its own so neither the
 * node's start nor its event loop ever waits for a router. One attempt costs at most
 * {@link Options#budgetMillis} (2 s) however the router answers (errors, garbage or silence).
 * The mapping is renewed at half its lifetime (and at least every {@link Options#checkMillis}, which is
 * also how a router restart that lost it is noticed: an epoch gone back, or a renewal refused, means
 * mapping again); {@link #close} deletes it. {@link #remap} starts over (a network change).
 */
public final class PortMapper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PortMapper.class);

    /**
     * Timings.
     *
     * @param budgetMillis    the most one attempt (all three protocols) may take
     * @param lifetimeSeconds the lifetime asked for
     * @param checkMillis     the longest time between two renewals
     * @param retryMillis     the wait after a failed attempt (doubling, up to {@code checkMillis})
     */
    public record Options(long budgetMillis, int lifetimeSeconds, long checkMillis, long retryMillis) {
        /** 2 s per attempt, 2 h lifetime, renewed at least every 10 min, first retry after 30 s. */
        public static final Options DEFAULT = new Options(2_000, 7_200, 600_000, 30_000);
    }

    /** The mapping now: how it was made, the public address, when it ends (null: a permanent lease). */
    public record Current(String protocol, InetSocketAddress external, Instant expires) {
    }

    private record Held(MappingProtocol protocol, Mapped mapped, long atNanos) {
    }

    private final int internalPort;
    private final Supplier<Optional<Gateways.Gateway>> gateways;
    private final Function<Gateways.Gateway, List<MappingProtocol>> protocols;
    private final Options options;
    private final Runnable onChange;
    private final ScheduledExecutorService timer = DaemonThreads.scheduler("scout-portmap");
    private volatile Held held;
    private volatile Current current;
    private ScheduledFuture<?> next;
    private long retryMillis;
    private volatile String lastFailure = "";
    private final java.util.concurrent.atomic.AtomicInteger restarts = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean closed;

    /**
     * Maps {@code internalPort} through the default gateway with PCP, NAT-PMP and UPnP IGD on their
     * standard ports, once {@link #start}ed.
     *
     * @param onChange called (on the mapper's thread) when the public address appears, changes or goes
     */
    public static PortMapper forDefaultGateway(int internalPort, Runnable onChange) {
        return new PortMapper(internalPort, Gateways::find, PortMapper::standardProtocols, Options.DEFAULT, onChange);
    }

    static List<MappingProtocol> standardProtocols(Gateways.Gateway g) {
        return List.of(new PcpClient(g.local(), new InetSocketAddress(g.address(), PcpCodec.PORT)),
                new NatPmpClient(g.local(), new InetSocketAddress(g.address(), NatPmpCodec.PORT)),
                new UpnpClient(g.local(), g.address()));
    }

    PortMapper(int internalPort, Supplier<Optional<Gateways.Gateway>> gateways,
               Function<Gateways.Gateway, List<MappingProtocol>> protocols, Options options, Runnable onChange) {
        if (internalPort <= 0 || internalPort > 65_535) {
            throw new IllegalArgumentException("not a UDP port: " + internalPort);
        }
        this.internalPort = internalPort;
        this.gateways = gateways;
        this.protocols = protocols;
        this.options = options;
        this.onChange = onChange;
        this.retryMillis = options.retryMillis();
    }

    /** Makes the first attempt in the background (returns at once). */
    public void start() {
        timer.execute(this::attempt);
    }

    /** {@return the mapping now, if the router granted one} */
    public Optional<Current> current() {
        return Optional.ofNullable(current);
    }

    /** Why the last attempt found no mapping ("" after a success). */
    String lastFailure() {
        return lastFailure;
    }

    /** How many gateway restarts the epochs showed. */
    int restartsSeen() {
        return restarts.get();
    }

    /** Starts over at once (the network changed: another gateway, another address): never blocks. */
    public void remap() {
        try {
            timer.execute(() -> {
                if (!closed) {
                    Held h = held;
                    held = null;
                    if (h != null) {
                        release(h, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.budgetMillis() / 2));
                    }
                    retryMillis = options.retryMillis();
                    attempt();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }

    /** One attempt: renew what is held, else map afresh; then plans the next one. */
    private void attempt() {
        if (closed) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.budgetMillis());
        Held h = held;
        Held now = h != null ? renew(h, deadline) : null;
        if (now == null) {
            now = fresh(deadline);
        }
        set(now);
        long wait;
        if (now == null) {
            wait = retryMillis;
            retryMillis = Math.min(retryMillis * 2, options.checkMillis());
        } else {
            retryMillis = options.retryMillis();
            long life = now.mapped().lifetimeSeconds();
            wait = life == 0 ? options.checkMillis() : Math.min(options.checkMillis(), Math.max(1_000, life * 1_000 / 2));
        }
        if (!closed) {
            next = timer.schedule(this::attempt, wait, TimeUnit.MILLISECONDS);
        }
    }

    private Held renew(Held h, long deadline) {
        try {
            Mapped m = h.protocol().map(internalPort, h.mapped().external().getPort(), options.lifetimeSeconds(), deadline);
            long at = System.nanoTime();
            if (restarted(h, m, at)) {
                restarts.incrementAndGet();
                LOG.info("port mapping: the gateway restarted ({} epoch {} after {}); mapped again at {}", m.protocol(),
                        m.epoch(), h.mapped().epoch(), format(m.external()));
            }
            return new Held(h.protocol(), m, at);
        } catch (PortMapException e) {
            LOG.info("port mapping: renewing {} failed ({}); mapping afresh", h.mapped().protocol(), e.getMessage());
            return null;
        }
    }

    /**
     * RFC 6887 §8.5: the gateway lost its state if its epoch went back, or moved on much less than our
     * own clock (7/8 of it, less 2 s of slack).
     */
    static boolean restarted(long previousEpoch, long elapsedSeconds, long epoch) {
        if (previousEpoch < 0 || epoch < 0) {
            return false;
        }
        return epoch < previousEpoch || epoch + 2 < previousEpoch + elapsedSeconds * 7 / 8;
    }

    private static boolean restarted(Held h, Mapped m, long atNanos) {
        return restarted(h.mapped().epoch(), TimeUnit.NANOSECONDS.toSeconds(atNanos - h.atNanos()), m.epoch());
    }

    private Held fresh(long deadline) {
        Optional<Gateways.Gateway> g = gateways.get();
        if (g.isEmpty()) {
            failed("no IPv4 default gateway");
            return null;
        }
        StringBuilder why = new StringBuilder();
        boolean pcpSilent = false;
        List<MappingProtocol> all = protocols.apply(g.get());
        for (int i = 0; i < all.size(); i++) {
            MappingProtocol p = all.get(i);
            if (pcpSilent && p instanceof NatPmpClient) {
                continue; // the same port 5351 just stayed silent
            }
            long left = deadline - System.nanoTime();
            // each protocol gets its share of what is left, the last one all of it
            long until = System.nanoTime() + left / Math.max(1, all.size() - i - (pcpSilent ? 1 : 0));
            try {
                Mapped m = p.map(internalPort, internalPort, options.lifetimeSeconds(), Math.min(deadline, until));
                lastFailure = "";
                LOG.info("port mapping: {} maps UDP {} to {} for {} s (gateway {})", m.protocol(), internalPort,
                        format(m.external()), m.lifetimeSeconds(), g.get().address().getHostAddress());
                return new Held(p, m, System.nanoTime());
            } catch (PortMapException | RuntimeException e) {
                String m = e.getMessage();
                why.append(why.length() == 0 ? "" : "; ").append(m);
                pcpSilent |= p instanceof PcpClient && m != null && m.contains("no answer");
            }
        }
        failed(why.toString());
        return null;
    }

    private void failed(String why) {
        if (!why.equals(lastFailure)) {
            LOG.info("port mapping: none ({})", why);
            lastFailure = why;
        }
    }

    private void set(Held now) {
        held = now;
        Current before = current;
        Current c = now == null ? null : new Current(now.mapped().protocol(), now.mapped().external(),
                now.mapped().lifetimeSeconds() == 0 ? null : Instant.now().plusSeconds(now.mapped().lifetimeSeconds()));
        current = c;
        boolean changed = before == null ? c != null
                : c == null || !before.external().equals(c.external()) || !before.protocol().equals(c.protocol());
        if (changed) {
            try {
                onChange.run();
            } catch (RuntimeException e) {
                LOG.warn("port mapping: a listener failed: {}", e.toString());
            }
        }
    }

    private void release(Held h, long deadline) {
        try {
            h.protocol().unmap(internalPort, h.mapped(), deadline);
            LOG.info("port mapping: {} mapping {} deleted", h.mapped().protocol(), format(h.mapped().external()));
        } catch (PortMapException e) {
            LOG.info("port mapping: deleting {} failed: {}", format(h.mapped().external()), e.getMessage());
        }
        current = null;
    }

    private static String format(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    /** Deletes the mapping (at most one budget, 2 s) and stops. */
    @Override
    public void close() {
        try {
            timer.submit(() -> {
                closed = true;
                if (next != null) {
                    next.cancel(false);
                }
                Held h = held;
                held = null;
                if (h != null) {
                    release(h, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.budgetMillis()));
                }
            }).get(options.budgetMillis() * 2 + 1_000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // an attempt under way overran, or we were interrupted: the lifetime ends the mapping anyway
        } finally {
            closed = true;
            timer.shutdownNow();
        }
    }
}
