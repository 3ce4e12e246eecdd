package dev.scout.node.reach;

import dev.scout.node.threads.DaemonThreads;
import dev.scout.app.Contact;
import dev.scout.app.ScoutApp;
import dev.scout.dht.Dht;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.node.nat.NatAwareness;
import dev.scout.node.nat.NatMonitor;
import dev.scout.session.NatType;
import dev.scout.session.relay.RelayLimits;
import dev.scout.session.relay.RelayLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A daemon's part in relaying (docs/sessions.md, "Relaying" and "Finding a home relay"), checked every
 * second on one timer thread: a publicly reachable daemon relays for others within
 * {@link RelayLimits#modest()} (or {@link RelayLimits#defaults()} when told to relay) and announces
 * itself on the DHT ({@link RelayAnnouncer}); a daemon behind a NAT keeps a home relay
 * ({@link HomeRelay}) and tells its contacts about it ({@link RelayPublisher}).
 */
public final class Relays implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Relays.class);
    private static final long TICK_MILLIS = 1_000;

    /** When to relay for others. */
    public enum Serve {
        /** Never. */
        NEVER,
        /** While publicly reachable, within {@link RelayLimits#modest()}. */
        WHEN_PUBLIC,
        /** Always, within {@link RelayLimits#defaults()}. */
        ALWAYS
    }

    /**
     * Where this daemon stands, for its status.
     *
     * @param serving     whether it relays for others
     * @param modest      whether it does so within the modest limits (relaying by default)
     * @param announced   whether its relay announcement is on the DHT
     * @param home        its home relay
     * @param publishedTo how many contacts' records carry its current relay entry
     */
    public record Status(boolean serving, boolean modest, boolean announced, HomeRelay.Status home, int publishedTo) {
        /** {@return the home relay's address} */
        public Optional<InetSocketAddress> via() {
            return home.relay();
        }
    }

    /** What the daemon knows about its own network. */
    public interface Network {
        /** {@return whether it is publicly reachable: NAT none and not found unreachable} */
        boolean isPublic();

        /** {@return whether it sits behind a NAT (cone or symmetric) or was found unreachable} */
        boolean behindNat();

        /**
         * Publicly reachable: no NAT (the DHT sees us at our own address) and not found unreachable (a
         * firewall that drops strangers makes the verdict unreachable within one probe window). Behind a
         * NAT: cone or symmetric, or found unreachable.
         *
         * @param natType our NAT type (an assumed one counts as the verdict)
         * @param nat     the node's reachability verdicts
         * @return the view
         */
        static Network of(Supplier<NatType> natType, NatAwareness nat) {
            return new Network() {
                @Override
                public boolean isPublic() {
                    return natType.get() == NatType.NONE && !nat.first().reachability().equals(NatMonitor.UNREACHABLE);
                }

                @Override
                public boolean behindNat() {
                    NatType t = natType.get();
                    return t == NatType.CONE || t == NatType.SYMMETRIC || nat.first().reachability().equals(NatMonitor.UNREACHABLE);
                }
            };
        }
    }

    private final RelayLink link;
    private final Serve serve;
    private final boolean findHome;
    private final Network network;
    private final RelayAnnouncer announcer;
    private final HomeRelay home;
    private final RelayPublisher publisher;
    private volatile boolean modest;
    private final ScheduledExecutorService timer = DaemonThreads.scheduler("scout-relays");

    /**
     * @param serve    when to relay for others
     * @param pinned   the relay to register at whatever the network ({@code --relay-via}), if any
     * @param findHome whether to find a home relay on the DHT behind a NAT
     * @param usable   which announced relay addresses may be probed (the contact address policy, not our own)
     */
    public Relays(RelayLink link, ScoutApp app, Supplier<List<Contact>> contacts, Ed25519KeyPair identity, Dht dht,
                  Supplier<NatType> nat, Network network, Serve serve, Optional<InetSocketAddress> pinned, boolean findHome,
                  Predicate<InetSocketAddress> usable) {
        this.link = link;
        this.serve = serve;
        this.findHome = findHome;
        this.network = network;
        if (serve == Serve.ALWAYS) {
            link.serve(RelayLimits.defaults());
        }
        this.announcer = new RelayAnnouncer(dht);
        this.home = new HomeRelay(link, identity, dht, usable, pinned, new RelayCandidates(new SecureRandom()));
        this.publisher = pinned.isPresent() || findHome
                ? new RelayPublisher(app, contacts, link::registration, link::standby, nat) : null;
        timer.scheduleWithFixedDelay(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            long now = System.currentTimeMillis();
            boolean pub = network.isPublic();
            if (serve == Serve.WHEN_PUBLIC && pub && !link.serving()) {
                link.serve(RelayLimits.modest());
                modest = true;
                LOG.info("publicly reachable: relaying for others within modest limits ({}); --no-relay turns it off",
                        RelayLimits.modest());
            }
            announcer.tick(now, link.serving() && pub);
            home.tick(now, findHome && network.behindNat());
        } catch (RuntimeException e) {
            LOG.warn("relay check failed: {}", e.toString()); // the next tick looks again
        }
    }

    /** Hears each contact whose record just got our relay entry (the node pokes its daemon: push wake-ups). */
    public void onEntryWritten(java.util.function.Consumer<Contact> listener) {
        if (publisher != null) {
            publisher.onWritten(listener);
        }
    }

    /**
     * A session through {@code relay} went silent (docs/sessions.md, "Another relay"): if it is our home
     * or standby relay, its registration is checked at once rather than at the next refresh.
     */
    public void suspect(InetSocketAddress relay) {
        home.suspect(relay);
    }

    /** Forgets what was written for a removed contact. */
    public void forget(Contact c) {
        if (publisher != null) {
            publisher.forget(c);
        }
    }

    /** {@return where this daemon stands as a relay and as a relay's client} */
    public Status status() {
        return new Status(link.serving(), modest, announcer.announced(), home.status(),
                publisher == null ? 0 : publisher.published());
    }

    /** {@return probes sent to announced relays so far (tests: a flood of fake announcements costs bounded probes)} */
    public long probesSent() {
        return home.probesSent();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (publisher != null) {
            publisher.close();
        }
    }
}
