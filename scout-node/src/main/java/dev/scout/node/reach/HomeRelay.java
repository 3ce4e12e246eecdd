package dev.scout.node.reach;

import dev.scout.dht.Addresses;
import dev.scout.dht.Dht;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.session.relay.RelayLink;
import dev.scout.session.relay.RelayRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * This daemon's home relay (docs/sessions.md, "Finding a home relay"): the pinned one
 * ({@code --relay-via}), or, behind a NAT, one found on the DHT: {@code get_peers} on
 * {@link RelayAnnouncer#INFO_HASH}, a few announced addresses probed ({@link RelayCandidates} bounds
 * how many and how often), the fastest registered at. A relay that refuses (full), never confirms
 * within {@value #CONFIRM_MILLIS} ms or stops confirming (no confirmation for 25 s; refreshes go every
 * 10 s) is left for the next fastest, or for a new look (every {@value #LOOK_MILLIS} ms while none is
 * found, doubling up to {@value #MAX_LOOK_MILLIS} ms): a
 * dead home relay is replaced within about 35 s (25 s to notice, a few to register elsewhere). With a
 * second verified relay known it keeps a registration there too (the standby, docs/sessions.md "Another
 * relay"), which takes over at once; a session through a relay that went silent makes its registration
 * checked at once ({@link #suspect}: no confirmation within 3 s and it is left). Driven by {@link #tick}
 * from one timer thread.
 */
public final class HomeRelay {
    private static final Logger LOG = LoggerFactory.getLogger(HomeRelay.class);
    static final long CONFIRM_MILLIS = 6_000;
    static final long LOOK_MILLIS = 10_000;
    /** Looks that find nothing back off (doubling) up to this: an idle daemon with no relay around stays cheap. */
    static final long MAX_LOOK_MILLIS = 60_000;
    /** With a home relay but no second one known, a look for a standby this often: cheap, as robustness can wait. */
    static final long STANDBY_LOOK_MILLIS = 300_000;
    static final Duration PROBE_TIMEOUT = Duration.ofMillis(1_500);

    private final RelayLink link;
    private final Ed25519KeyPair identity;
    private final Dht dht;
    private final Predicate<InetSocketAddress> usable;
    private final Optional<InetSocketAddress> pinned;
    private final RelayCandidates candidates;
    private final AtomicLong probesSent = new AtomicLong();

    private InetSocketAddress current;
    private long since;
    private volatile long rttMillis = -1;
    private volatile String problem;
    private long lastLook = Long.MIN_VALUE / 2;
    private volatile boolean looking;
    private volatile long lookEvery = LOOK_MILLIS;
    /** When the standby registration (docs/sessions.md, "Another relay") was started. */
    private long standbySince;
    /** A relay a session through which went silent: its registration is checked at once. */
    private volatile InetSocketAddress suspect;

    /**
     * What {@code scout status} shows about the home relay.
     *
     * @param relay     its address
     * @param found     {@code dht} or {@code pinned}
     * @param rttMillis the round trip its probe measured
     * @param problem   the last problem, one line
     */
    public record Status(Optional<InetSocketAddress> relay, Optional<String> found, OptionalLong rttMillis, Optional<String> problem) {
    }

    HomeRelay(RelayLink link, Ed25519KeyPair identity, Dht dht, Predicate<InetSocketAddress> usable,
              Optional<InetSocketAddress> pinned, RelayCandidates candidates) {
        this.link = link;
        this.identity = identity;
        this.dht = dht;
        this.usable = usable;
        this.pinned = pinned;
        this.candidates = candidates;
    }

    /** One timer step; {@code wanted}: this daemon is behind a NAT and may look for a relay. */
    synchronized void tick(long now, boolean wanted) {
        if (pinned.isPresent()) {
            keepPinned(now);
            return;
        }
        if (!wanted) {
            if (current != null) {
                LOG.info("home relay {} left: this daemon is no longer behind a NAT", Addresses.format(current));
                link.unregister();
                link.unregisterStandby();
                current = null;
            }
            problem = null;
            return;
        }
        if (current != null && healthy(now)) {
            keepStandby(now);
            return;
        }
        if (current == null) {
            Optional<RelayCandidates.Verified> next = candidates.best();
            if (next.isPresent()) {
                use(next.get(), now);
            } else if (!looking && now - lastLook >= lookEvery) {
                look(now);
            }
        }
    }

    /** Whether the current relay is fine or still has time to confirm; if not, it is left. */
    private boolean healthy(long now) {
        RelayRegistration r = link.registration().orElse(null);
        if (r == null) {
            current = null;
            return false;
        }
        checkSuspect(r);
        String failure;
        if (r.refused()) {
            failure = "relay " + Addresses.format(current) + " refused (full)";
        } else if (r.checkFailed()) {
            failure = "relay " + Addresses.format(current) + " stopped answering (a session through it went silent)";
        } else if (r.registered()) {
            problem = null;
            return true;
        } else if (r.confirmedOnce()) {
            failure = "relay " + Addresses.format(current) + " stopped answering";
        } else if (now - since >= CONFIRM_MILLIS) {
            failure = "relay " + Addresses.format(current) + " did not confirm the registration";
        } else {
            return true;
        }
        problem = failure;
        candidates.avoid(current, now);
        RelayRegistration next = link.standby().filter(RelayRegistration::registered).orElse(null);
        if (next != null) {
            LOG.warn("home relay: {}; the standby relay {} takes over", failure, Addresses.format(next.relay()));
            link.promoteStandby();
            current = next.relay();
            since = now;
            rttMillis = candidates.kept().stream().filter(v -> v.relay().equals(current)).mapToLong(RelayCandidates.Verified::rttMillis)
                    .findFirst().orElse(-1);
            return true;
        }
        LOG.warn("home relay: {}; looking for another", failure);
        link.unregister();
        link.unregisterStandby();
        current = null;
        rttMillis = -1;
        return false;
    }

    /** A suspected relay's registration is refreshed at once ({@link RelayRegistration#check}). */
    private void checkSuspect(RelayRegistration r) {
        InetSocketAddress s = suspect;
        if (s != null) {
            suspect = null;
            link.standby().filter(st -> st.relay().equals(s)).ifPresent(RelayRegistration::check);
            if (r.relay().equals(s)) {
                r.check();
            }
        }
    }

    /**
     * A session through {@code relay} went silent: if it is our home or standby relay, its registration
     * is checked at once, so a dead relay is left within seconds rather than 25 s.
     */
    void suspect(InetSocketAddress relay) {
        suspect = relay;
    }

    /**
     * Keeps a registration at a second relay (the standby) while another verified relay is known, so
     * contacts have a second route and a relayed session outlives its relay; one that fails is left. While
     * there is none, a look every {@value #STANDBY_LOOK_MILLIS} ms tries to find one.
     */
    private void keepStandby(long now) {
        RelayRegistration r = link.standby().orElse(null);
        if (r != null && (r.refused() || r.checkFailed() || !r.registered() && (r.confirmedOnce() || now - standbySince >= CONFIRM_MILLIS))) {
            LOG.info("standby relay {} left: it {}", Addresses.format(r.relay()), r.refused() ? "refused (full)" : "did not answer");
            candidates.avoid(r.relay(), now);
            link.unregisterStandby();
            r = null;
        }
        if (r != null) {
            return;
        }
        if (!startStandby(now) && !looking && now - lastLook >= STANDBY_LOOK_MILLIS) {
            look(now);
        }
    }

    /** Registers at the fastest verified relay other than the home relay, if any, as the standby. */
    private boolean startStandby(long now) {
        Optional<RelayCandidates.Verified> next = candidates.kept().stream().filter(v -> !v.relay().equals(current)).findFirst();
        if (next.isEmpty()) {
            return false;
        }
        standbySince = now;
        link.registerStandbyAt(next.get().relay(), identity);
        LOG.info("standby relay: registering at {} too ({} ms round trip)", Addresses.format(next.get().relay()), next.get().rttMillis());
        return true;
    }

    private void use(RelayCandidates.Verified v, long now) {
        if (link.standby().filter(st -> st.relay().equals(v.relay())).isPresent()) {
            link.promoteStandby(); // already registered there
            current = v.relay();
            since = now;
            rttMillis = v.rttMillis();
            return;
        }
        current = v.relay();
        since = now;
        rttMillis = v.rttMillis();
        link.registerAt(current, identity);
        if (link.standby().isEmpty()) {
            startStandby(now); // at once: contacts then learn both relays in one record write
        }
        LOG.info("home relay: registering at {} (found on the DHT, {} ms round trip)", Addresses.format(current), v.rttMillis());
    }

    private void keepPinned(long now) {
        if (current == null) {
            current = pinned.get();
            since = now;
            link.registerAt(current, identity);
            probe(current).thenAccept(ms -> rttMillis = ms);
        }
        RelayRegistration r = link.registration().orElseThrow();
        if (r.refused()) {
            problem = "relay " + Addresses.format(current) + " refused (full)";
        } else if (r.registered()) {
            problem = null;
        } else if (now - since >= CONFIRM_MILLIS) {
            problem = "relay " + Addresses.format(current) + (r.confirmedOnce() ? " stopped answering" : " does not answer");
        }
    }

    /** get_peers on the relays' info-hash, then a bounded round of probes; the results feed the candidates. */
    private void look(long now) {
        looking = true;
        lastLook = now;
        dht.getPeers(RelayAnnouncer.INFO_HASH).thenCompose(announced -> {
            List<InetSocketAddress> probe = candidates.toProbe(announced, System.currentTimeMillis(), usable);
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (InetSocketAddress a : probe) {
                all.add(probe(a).handle((ms, e) -> {
                    if (e == null) {
                        candidates.answered(a, ms);
                    } else {
                        candidates.avoid(a, System.currentTimeMillis());
                    }
                    return null;
                }));
            }
            return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v -> new int[] {announced.size()});
        }).whenComplete((counts, e) -> {
            looking = false;
            if (candidates.best().isPresent()) {
                lookEvery = LOOK_MILLIS;
                return;
            }
            lookEvery = Math.min(2 * lookEvery, MAX_LOOK_MILLIS);
            String why = e != null ? "no relay found (the DHT lookup failed: " + e.getMessage() + ")"
                    : counts[0] == 0 ? "no relay found (none announced on the DHT)"
                    : "no relay found (" + counts[0] + " announced, none answered a probe)";
            if (!why.equals(problem)) {
                LOG.warn("home relay: {}; looking again in {} s", why, lookEvery / 1000);
            }
            problem = why;
        });
    }

    private CompletableFuture<Long> probe(InetSocketAddress a) {
        probesSent.incrementAndGet();
        return link.probe(a, PROBE_TIMEOUT).thenApply(d -> Math.max(0, d.toMillis()));
    }

    /** {@return probes sent so far (bounded by {@link RelayCandidates}; tests)} */
    long probesSent() {
        return probesSent.get();
    }

    /** {@return what status shows: the relay, how it was found, its round trip, the last problem} */
    Status status() {
        RelayRegistration r = link.registration().orElse(null);
        long rtt = rttMillis;
        return new Status(r == null ? Optional.empty() : Optional.of(r.relay()),
                r == null ? Optional.empty() : Optional.of(pinned.isPresent() ? "pinned" : "dht"),
                r == null || rtt < 0 ? OptionalLong.empty() : OptionalLong.of(rtt),
                r != null && r.registered() ? Optional.empty() : Optional.ofNullable(problem)); // registered: no problem stands
    }
}
