package dev.scout.node.reach;

import dev.scout.app.Contact;
import dev.scout.session.PathProbes;
import dev.scout.session.Session;
import dev.scout.session.relay.RelayLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * A relayed session outlives its relay (docs/sessions.md, "Another relay"): the session is told the
 * routes to the contact through every relay the contact publishes (its home relay and its standby,
 * kinds 5 and 6), and probes them when the relay path in use goes silent; the first authenticated
 * answer moves it there. The contact's daemon does the same towards our relays, so whichever side's
 * probe gets through, the other follows. A silent path also makes {@link HomeRelay} check the relay at
 * once, so a dead home relay is replaced by the standby within seconds.
 */
public final class RelayFailover {
    private static final Logger LOG = LoggerFactory.getLogger(RelayFailover.class);

    private final ContactRelays relays;
    private final RelayLink link;
    private final Relays home;
    private final Executor work;

    /**
     * @param relays the contacts' relay entries
     * @param link   our relay link (which relay a virtual address goes through)
     * @param home   our home and standby relays
     * @param work   where naming the routes runs (it may read the contact's record)
     */
    public RelayFailover(ContactRelays relays, RelayLink link, Relays home, Executor work) {
        this.relays = relays;
        this.link = link;
        this.home = home;
        this.work = work;
    }

    /** Watches a session with {@code contact}: its relay routes now if it is relayed, again whenever its relay path fails. */
    public void watch(Contact contact, Session session) {
        PathProbes.onRelayFailing(session, silent -> work.execute(() -> failing(contact, session, silent)));
        if (link.relayOf(session.remoteAddress()).isPresent()) {
            work.execute(() -> name(contact, session));
        }
    }

    private void failing(Contact contact, Session session, InetSocketAddress silent) {
        Optional<InetSocketAddress> relay = link.relayOf(silent);
        relay.ifPresent(home::suspect);
        List<InetSocketAddress> routes = name(contact, session);
        LOG.info("session with {}: the path through relay {} ({}) went silent; probing {} other relay route(s) {}", contact.name(),
                relay.map(String::valueOf).orElse("?"), silent, routes.size(), routes);
    }

    /**
     * The session moved from one relay to another (the peer's probe came through the other one first): the
     * relay left may be dead, and if it is our home relay it is checked at once ({@link HomeRelay#suspect}).
     */
    public void left(InetSocketAddress relay) {
        home.suspect(relay);
    }

    private List<InetSocketAddress> name(Contact contact, Session session) {
        try {
            List<InetSocketAddress> routes = relays.routes(contact).stream().filter(r -> !r.equals(session.remoteAddress())).toList();
            if (!routes.isEmpty() && !session.closed().isDone()) {
                PathProbes.relayRoutes(session, routes);
            }
            return routes;
        } catch (RuntimeException e) {
            LOG.debug("relay routes for {}: {}", contact.name(), e.toString());
            return List.of();
        }
    }
}
