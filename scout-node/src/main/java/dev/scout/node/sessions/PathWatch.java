package dev.scout.node.sessions;

import dev.scout.app.Contact;
import dev.scout.dht.Addresses;
import dev.scout.dht.Ed25519PublicKey;
import dev.scout.node.reach.BirthdayRendezvous;
import dev.scout.node.reach.RelayFailover;
import dev.scout.node.reach.RelayedBirthdays;
import dev.scout.session.Session;
import dev.scout.session.punch.BirthdayLink;
import dev.scout.session.relay.RelayLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The path of each session {@link SessionService} holds (docs/sessions.md, "Relay first, then direct"):
 * a relayed session tries birthday punching of its own and outlives its relay (another relay takes over),
 * and every move between a relay and the direct path is recorded on the session and announced.
 */
final class PathWatch {
    /** The service's logger: these lines are part of a session's story as the service tells it. */
    private static final Logger LOG = LoggerFactory.getLogger(SessionService.class);

    private final RelayLink link;
    private final BirthdayLink extraSockets;
    private final Function<Ed25519PublicKey, Optional<Contact>> findContact;
    private final SessionEvents events;
    private final RelayedBirthdays relayedBirthdays;
    private final RelayFailover failover;
    private final Executor sideWork;

    PathWatch(RelayLink link, BirthdayLink extraSockets, Function<Ed25519PublicKey, Optional<Contact>> findContact,
              SessionEvents events, RelayedBirthdays relayedBirthdays, RelayFailover failover, Executor sideWork) {
        this.link = link;
        this.extraSockets = extraSockets;
        this.findContact = findContact;
        this.events = events;
        this.relayedBirthdays = relayedBirthdays;
        this.failover = failover;
        this.sideWork = sideWork;
    }

    /** A session was registered: a relayed one tries birthday punching; any survives its relay's death. */
    void started(HeldSession live, boolean relayed) {
        Session s = live.session();
        findContact.apply(s.peer()).ifPresent(c -> {
            if (relayed) {
                sideWork.execute(() -> relayedBirthdays.start(c, s)); // may read the record: not under the service's lock
            }
            failover.watch(c, s);
        });
    }

    /** Follows the session's moves from now on. */
    void follow(HeldSession live) {
        live.session().onPathChange(to -> moved(live, to));
        moved(live, live.session().remoteAddress()); // it may have moved before the listener was set
    }

    /**
     * The session moved (docs/sessions.md, "Relay first, then direct"): from a relay to the direct path
     * ({@code via} relay → direct) or back to a relay when the direct path failed; announced as
     * {@link SessionEvents#pathChanged}. Moves between two direct addresses (NAT rebinding) change nothing here.
     */
    private void moved(HeldSession live, InetSocketAddress to) {
        Optional<InetSocketAddress> relayed = link.relayOf(to);
        live.relay().filter(r -> relayed.isPresent() && !r.equals(relayed.get())).ifPresent(failover::left); // relay -> relay
        boolean changed = relayed.isPresent() ? live.movedToRelay(relayed.get())
                : RelayLink.isVirtual(to) && !extraSockets.isExtraSocket(to) ? false
                : live.movedDirect(relayedBirthdays.punched(live.session(), to) ? BirthdayRendezvous.PUNCH_BIRTHDAY : null);
        if (changed && !live.ended()) {
            LOG.info("session {} with {} now via {}{}{} ({})", live.id(), live.contact(), live.via(),
                    live.relay().map(r -> " " + Addresses.format(r)).orElse(""), // which relay: failover moves between two
                    live.punch().map(p -> ", punch " + p).orElse(""), to);
            events.pathChanged(live, to);
        }
    }
}
