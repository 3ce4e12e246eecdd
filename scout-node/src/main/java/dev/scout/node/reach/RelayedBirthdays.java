package dev.scout.node.reach;

import dev.scout.app.Contact;
import dev.scout.app.ScoutApp;
import dev.scout.session.ContactAddressPolicy;
import dev.scout.session.NatType;
import dev.scout.session.PathProbes;
import dev.scout.session.Session;
import dev.scout.session.punch.BirthdayLink;
import dev.scout.session.punch.BirthdayPunch;
import dev.scout.session.punch.ProbeSchedule;
import dev.scout.session.punch.RelayedBirthday;
import dev.scout.session.relay.RelayEntry;
import dev.scout.session.relay.RelayLink;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Birthday punching alongside a relayed session (docs/sessions.md, "Birthday punching"): when exactly
 * one side is behind a symmetric NAT (ours from NAT awareness, theirs from the contact's relay entry),
 * the session that runs through a relay moves to the direct path found by birthday punching — no
 * second session. The symmetric side tells its addresses inside the session (its external IP:
 * {@code CANDIDATES}) and sends the session's probes from its extra sockets towards the cone side's
 * published address; the cone side, once it has the IP, probes random ports of it. A miss is tried again
 * ({@value RelayedBirthday#ATTEMPTS} attempts at most): the symmetric side opens new sockets and names
 * its addresses again, which starts the cone side's probes anew. Both sides of a
 * relayed session call {@link #start} (off the session service's lock: it may read the contact's record
 * once); the session service asks {@link #punched} to label the move.
 */
public final class RelayedBirthdays {
    private static final Logger LOG = LoggerFactory.getLogger(RelayedBirthdays.class);
    private final ScoutApp app;
    private final BirthdayLink link;
    private final ContactRelays relays;
    private final ContactAddressPolicy policy;
    private final Supplier<NatType> nat;
    private final SecureRandom random = new SecureRandom();
    /** Sessions an attempt ran for (weak: forgotten with the session); at most one attempt each. */
    private final Set<Session> attempted = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    /**
     * @param app    the contacts' stored records (the cone side's published address)
     * @param link   the extra-socket link under the daemon's endpoint
     * @param relays the contacts' relay entries (their NAT type)
     * @param policy where contacts' addresses may lead us
     * @param nat    our NAT, as NAT awareness found it
     */
    public RelayedBirthdays(ScoutApp app, BirthdayLink link, ContactRelays relays, ContactAddressPolicy policy,
                            Supplier<NatType> nat) {
        this.app = app;
        this.link = link;
        this.relays = relays;
        this.policy = policy;
        this.nat = nat;
    }

    /**
     * A session with {@code c} runs through a relay: starts birthday punching for it if exactly one side
     * is symmetric (once per session; returns at once).
     *
     * @param c the contact
     * @param s its session
     */
    public void start(Contact c, Session s) {
        NatType ours = nat.get();
        if (ours != NatType.CONE && ours != NatType.SYMMETRIC || !RelayLink.isVirtual(s.remoteAddress())) {
            return;
        }
        // one record read if no entry is stored yet (the contact opened the session: we never looked)
        NatType theirs = relays.live(c, true).map(RelayEntry::nat).orElse(NatType.UNKNOWN);
        if (!BirthdayPunch.applies(ours, theirs) || !attempted.add(s)) {
            return;
        }
        PathProbes.sendCandidates(s); // the symmetric side's external IP is what the cone side probes
        if (ours == NatType.SYMMETRIC) {
            Optional<InetSocketAddress> cone = BirthdayPunch.firstUsableIpv4(Rendezvous.addresses(app.storedDevices(c)), policy);
            if (cone.isEmpty()) {
                LOG.info("no birthday punching with {}: its record names no usable IPv4 address", c.name());
                return;
            }
            LOG.info("birthday punching alongside the relayed session with {}: {} extra sockets towards {}", c.name(),
                    BirthdayPunch.SOCKETS, cone.get());
            RelayedBirthday.fromSymmetricSide(s, link, cone.get(), BirthdayPunch.SOCKETS, BirthdayPunch.TIME,
                            RelayedBirthday.ATTEMPTS, RelayedBirthday.PAUSE)
                    .whenComplete((to, e) -> LOG.info("birthday punching with {}: {}", c.name(),
                            to != null ? "the session moved to extra socket " + to : e.getMessage()));
            return;
        }
        // Probes on each naming of the symmetric side's addresses (its first, and each new attempt's)
        RelayedBirthday.fromConeSide(s, policy, () -> ProbeSchedule.random(ProbeSchedule.MAX_PROBES, ProbeSchedule.MAX_DURATION, random),
                RelayedBirthday.ATTEMPTS, (ip, probes) -> {
                    LOG.info("birthday punching alongside the relayed session with {}: probing {}", c.name(), ip.getHostAddress());
                    probes.done().thenAccept(n -> LOG.info("birthday probes towards {} ended after {} probe(s): {}", ip.getHostAddress(), n,
                            s.closed().isDone() ? "the session ended" : RelayLink.isVirtual(s.remoteAddress())
                                    ? "none met a mapping yet; the session stays on the relay" : "the session runs direct"));
                });
    }

    /**
     * {@return whether the session's move to {@code to} came from birthday punching: an extra socket of
     * ours, or (cone side) a direct address while its attempt ran}
     *
     * @param s a session
     * @param to where it moved
     */
    public boolean punched(Session s, InetSocketAddress to) {
        return link.isExtraSocket(to) || attempted.contains(s) && !RelayLink.isVirtual(to);
    }
}
