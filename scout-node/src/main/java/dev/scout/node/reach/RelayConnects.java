package dev.scout.node.reach;

import dev.scout.app.Contact;
import dev.scout.app.ScoutApp;
import dev.scout.session.NatType;
import dev.scout.session.NoDirectPathException;
import dev.scout.session.Session;
import dev.scout.session.SessionEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * The {@link Rendezvous}'s connects through a contact's relay (docs/sessions.md, "Relay first, then
 * direct" and "Relaying"): relay first then direct, the relay only (a symmetric NAT rules punching out),
 * and the punch targets of a kept-open path that runs through a relay.
 */
final class RelayConnects {
    private static final Logger LOG = LoggerFactory.getLogger(RelayConnects.class);

    private final ScoutApp app;
    private final SessionEndpoint endpoint;
    private final ContactRelays relays;
    /** An unclaimed session with the contact the daemon already has (the contact's own connect won), claimed. */
    private final BiFunction<Contact, ScoutApp.ContactDevice, Optional<Session>> unclaimed;

    RelayConnects(ScoutApp app, SessionEndpoint endpoint, ContactRelays relays,
                  BiFunction<Contact, ScoutApp.ContactDevice, Optional<Session>> unclaimed) {
        this.app = app;
        this.endpoint = endpoint;
        this.relays = relays;
        this.unclaimed = unclaimed;
    }

    /**
     * Relay first, then direct (docs/sessions.md): the initiation through the contact's relay at once —
     * the relay forwards it over the mapping the contact keeps open, so no record is read and nobody
     * polls — and to its published addresses too unless we are behind a NAT (our packets reaching its NAT
     * before its own left would take the conntrack tuple the punch needs). Once the handshake completes
     * the session carries data through the relay; both sides then probe each other's direct addresses,
     * timed by the relayed round trip, and the session moves to the direct path when a probe is answered.
     */
    Rendezvous.Connected thenDirect(Contact contact, ScoutApp.ContactDevice device, dev.scout.session.relay.RelayEntry relay,
                                      List<InetSocketAddress> theirs, NatType ours, long t0)
            throws NoDirectPathException, InterruptedException {
        long left = Math.max(1, t0 + Rendezvous.DEADLINE_MILLIS - System.currentTimeMillis());
        boolean behindNat = ours == NatType.CONE || ours == NatType.SYMMETRIC;
        List<InetSocketAddress> first = new ArrayList<>();
        first.add(relays.route(relay));
        if (!behindNat) {
            first.addAll(theirs);
        }
        LOG.info("connecting to {} through its relay at {}{}; then punching towards {}", contact.name(), relay.relay(),
                behindNat ? "" : " and directly", theirs);
        CompletableFuture<Session> f = endpoint.connect(contact.publicKey(), first, theirs, relay.nat(), Duration.ofMillis(left));
        Session s = Rendezvous.await(f, left + 500, contact, ours, false);
        if (s == null) {
            Optional<Session> arrived = unclaimed.apply(contact, device); // the contact's own connect won
            if (arrived.isPresent()) {
                return new Rendezvous.Connected(arrived.get(), Rendezvous.VIA_INCOMING);
            }
            throw noAnswer(contact, relay, behindNat || theirs.isEmpty() ? "" : " or from " + theirs, ours, t0);
        }
        boolean relayed = dev.scout.session.relay.RelayLink.isVirtual(s.remoteAddress());
        return new Rendezvous.Connected(s, relayed ? Rendezvous.VIA_RELAY : Rendezvous.VIA_DIRECT);
    }

    /**
     * A kept-open path through a relay (the session that left it was relayed): the new session punches
     * towards the contact's direct addresses as a first relayed one does, unless a symmetric NAT rules it out.
     */
    List<InetSocketAddress> punchAfterPath(Contact contact, InetSocketAddress path, NatType ours) {
        if (!dev.scout.session.relay.RelayLink.isVirtual(path)) {
            return List.of();
        }
        Optional<dev.scout.session.relay.RelayEntry> relay = relays.live(contact, false);
        if (relay.isPresent() && ContactRelays.relayFirst(ours, relay.get().nat())) {
            return List.of();
        }
        return Rendezvous.addresses(app.storedDevices(contact));
    }

    /** Through the contact's relay only, within what is left of the attempt. */
    Rendezvous.Connected only(Contact contact, dev.scout.session.relay.RelayEntry relay, NatType ours, long t0)
            throws NoDirectPathException, InterruptedException {
        long left = Math.max(1, t0 + Rendezvous.DEADLINE_MILLIS - System.currentTimeMillis());
        LOG.info("{} is behind a {} and we are behind a {}: connecting through its relay at {}", contact.name(),
                relay.nat().label(), ours.label(), relay.relay());
        CompletableFuture<Session> f = endpoint.connect(contact.publicKey(), List.of(relays.route(relay)), relay.nat(),
                Duration.ofMillis(left));
        Session s = Rendezvous.await(f, left + 500, contact, ours, false);
        if (s == null) {
            throw noAnswer(contact, relay, "", ours, t0);
        }
        return new Rendezvous.Connected(s, Rendezvous.VIA_RELAY);
    }

    /** The one line a user sees when neither the relay nor (if tried) the direct addresses answered. */
    private static NoDirectPathException noAnswer(Contact contact, dev.scout.session.relay.RelayEntry relay, String alsoTried,
                                                  NatType ours, long t0) {
        return new NoDirectPathException("no path to " + contact.name() + " within "
                + (System.currentTimeMillis() - t0) / 1000 + " s: no answer through its relay at "
                + relay.relay().getAddress().getHostAddress() + ":" + relay.relay().getPort() + alsoTried + " (NAT: ours "
                + ours.label() + ", theirs " + relay.nat().label() + "; the relay or the contact is offline)");
    }
}
