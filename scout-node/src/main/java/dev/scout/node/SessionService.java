package dev.scout.node;

import dev.scout.app.Contact;
import dev.scout.app.ScoutApp;
import dev.scout.dht.LimitExceededException;
import dev.scout.node.reach.ContactRelays;
import dev.scout.node.reach.RelayPublisher;
import dev.scout.node.reach.Rendezvous;
import dev.scout.dht.Addresses;
import dev.scout.dht.Ed25519PublicKey;
import dev.scout.dht.udp.DualStackNode;
import dev.scout.session.AccessPolicy;
import dev.scout.session.ContactAddressPolicy;
import dev.scout.session.DatagramLink;
import dev.scout.session.NatType;
import dev.scout.session.NoDirectPathException;
import dev.scout.session.Session;
import dev.scout.session.SessionConfig;
import dev.scout.session.SessionEndpoint;
import dev.scout.session.relay.RelayLimits;
import dev.scout.session.relay.RelayLink;
import dev.scout.session.relay.RelayRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A node's direct sessions (docs/spec.md §7): one {@link SessionEndpoint} on the DHT node's own socket,
 * accepting exactly the identities in the current contact list (a removed contact's sessions end, and
 * its key is refused at its next handshake), opening sessions through {@link Rendezvous}, and keeping
 * the sessions it hands out by id. Incoming sessions go to the {@code onSession} listener if there is
 * one, else wait unclaimed until a caller opens a session with that contact (as {@code scout pipe} on
 * the other side does); both are announced as {@link NodeEvent.SessionIncoming}, every end as
 * {@link NodeEvent.SessionClosed}.
 */
final class SessionService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionService.class);
    /** Sessions held at once, at most (ended ones are dropped first to make room). */
    static final int MAX_SESSIONS = 64;
    /** A daemon's handshake attempt: short enough that a rendezvous still ends within 15 s. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(8);

    private final NodeStore store;
    private final Consumer<NodeEvent> events;
    private final SessionEndpoint endpoint;
    private final Rendezvous rendezvous;
    private final Map<String, ContactSession> sessions = new ConcurrentHashMap<>();
    private final DeviceChoice choices = new DeviceChoice();
    private final SecureRandom random = new SecureRandom();
    private final RelayLink link;
    private final RelayPublisher relayPublisher;

    /** Takes incoming sessions instead of leaving them unclaimed; null: none. */
    private volatile Consumer<ContactSession> taker;

    /**
     * @param nat          our NAT type as the daemon's NAT awareness sees it
     * @param ourAddresses this device's addresses for contacts (external first)
     * @param pollMillis   how often contacts' records are read for connect intents
     * @param relay        whether to relay for others, and the relay to be reachable through
     * @param addresses    which addresses from contacts (intents, relay entries) we may send to
     */
    SessionService(NodeStore store, ScoutApp app, Consumer<NodeEvent> events, DualStackNode node, Supplier<NatType> nat,
                   Supplier<List<InetSocketAddress>> ourAddresses, long pollMillis, RelayOptions relay,
                   ContactAddressPolicy addresses) {
        this.store = store;
        this.events = events;
        AccessPolicy policy = this::isContact;
        this.link = RelayLink.over(DatagramLink.of(node));
        if (relay.serve()) {
            link.serve(RelayLimits.defaults());
        }
        this.relayPublisher = relay.via().map(r -> new RelayPublisher(app, store::contacts,
                link.registerAt(r, store.requireIdentity()), nat)).orElse(null);
        this.endpoint = SessionEndpoint.start(store.requireIdentity(), link, policy,
                SessionConfig.defaults().withConnectTimeout(CONNECT_TIMEOUT));
        endpoint.setLocalNatType(nat.get());
        endpoint.onSession(this::incoming);
        this.rendezvous = new Rendezvous(app, store::contacts, endpoint, nat, ourAddresses,
                store.deviceTag(), pollMillis, new ContactRelays(link, app, addresses));
        rendezvous.existingSessions(new Rendezvous.ExistingSessions() {
            @Override
            public Optional<Session> takeUnclaimed(Contact c) {
                return claimUnclaimed(c).map(ContactSession::session);
            }

            @Override
            public boolean anyLive(Contact c) {
                return sessions.values().stream().anyMatch(l -> l.contact().equals(c.name()) && !l.ended());
            }
        });
        rendezvous.watch((c, s) -> register(c.name(), s, true, 0, Rendezvous.VIA_INTENT));
    }

    /** An unclaimed live session with {@code c} (incoming, or an answer to their intent), claimed now. */
    private Optional<ContactSession> claimUnclaimed(Contact c) {
        synchronized (sessions) {
            Optional<ContactSession> s = DeviceChoice.newestUnclaimed(sessions.values(), c.name());
            s.ifPresent(this::chose);
            return s;
        }
    }

    /** Claims {@code s} and ends the sessions the contact's other devices opened (their pipes then end). */
    private void chose(ContactSession s) {
        synchronized (sessions) {
            s.claim();
            for (ContactSession other : DeviceChoice.losers(sessions.values(), s)) {
                LOG.info("session {} with {}: closed, another of its devices ({}) was chosen", other.id(), other.contact(),
                        s.session().remoteAddress());
                CompletableFuture.runAsync(other.session()::close); // a clean close may wait; not under the lock
            }
        }
    }

    /** Asked at every handshake and, for kept-open paths, every keep round: one indexed lookup. */
    private boolean isContact(Ed25519PublicKey key) {
        return store.findContact(key).isPresent();
    }

    private Optional<Contact> contactOf(Ed25519PublicKey key) {
        return store.findContact(key);
    }

    private void incoming(Session s) {
        Optional<Contact> c = contactOf(s.peer());
        if (c.isEmpty()) {
            s.close(); // removed between the handshake and now
            return;
        }
        ContactSession live = register(c.get().name(), s, true, 0, Rendezvous.VIA_INCOMING);
        Consumer<ContactSession> t = taker;
        if (t != null && live.claim()) {
            t.accept(live);
        }
    }

    /** Incoming sessions go to {@code taker} (claimed) from now on. */
    void onSession(Consumer<ContactSession> taker) {
        this.taker = taker;
    }

    /**
     * A session with {@code contact}: an incoming one nobody claimed yet, else a new one through the
     * rendezvous (blocking, at most ~15 s).
     *
     * @throws NoDirectPathException naming the reason when no path was found
     * @throws LimitExceededException when {@value #MAX_SESSIONS} sessions are open
     */
    ContactSession open(Contact contact) throws InterruptedException, NoDirectPathException {
        Optional<ContactSession> waiting = claimUnclaimed(contact);
        if (waiting.isPresent()) {
            return waiting.get();
        }
        long t0 = System.nanoTime();
        Rendezvous.Connected made = rendezvous.connect(contact);
        ContactSession live = register(contact.name(), made.session(), false, (System.nanoTime() - t0) / 1_000_000, made.via());
        chose(live); // the same session may have arrived as the answer to the peer's intent
        return live;
    }

    /** Records a session once (the same one may come from a connect and from an intent's answer). */
    private ContactSession register(String contact, Session s, boolean incoming, long connectMillis, String via) {
        synchronized (sessions) {
            for (ContactSession l : sessions.values()) {
                if (l.session() == s) {
                    return l;
                }
            }
            if (sessions.size() >= MAX_SESSIONS) {
                sessions.values().removeIf(ContactSession::ended);
            }
            if (sessions.size() >= MAX_SESSIONS) {
                s.close();
                throw new LimitExceededException("too many sessions open (at most " + MAX_SESSIONS + ")");
            }
            String id = HexFormat.of().formatHex(randomBytes(8));
            Optional<InetSocketAddress> relayed = link.relayOf(s.remoteAddress());
            if (relayed.isPresent()) {
                via = Rendezvous.VIA_RELAY; // whoever opened it: it runs through a relay
            }
            ContactSession live = new ContactSession(id, contact, s, incoming, connectMillis, via, relayed.orElse(null));
            if (incoming && (DeviceChoice.anotherDeviceIsChosen(sessions.values(), live) || choices.lateFromAnotherDevice(live))) {
                LOG.info("session with {} from {}: closed, a session with another of its devices is in use", contact,
                        s.remoteAddress());
                CompletableFuture.runAsync(s::close);
                return live;
            }
            sessions.put(id, live);
            if (incoming) {
                events.accept(new NodeEvent.SessionIncoming(live));
            }
            s.closed().whenComplete((v, error) -> {
                live.ended(error == null ? "closed" : oneLine(error));
                if (live.claimed() && live.relay().isEmpty()) {
                    choices.chosenEnded(contact, s.remoteAddress());
                }
                if (!live.claimed()) {
                    sessions.remove(id); // nobody took it, nobody will ask about it
                }
                events.accept(new NodeEvent.SessionClosed(live, error == null ? "closed" : oneLine(error)));
            });
            LOG.info("session {} with {} ({}, via {}, {})", id, contact, incoming ? "incoming" : "outgoing", via,
                    s.remoteAddress());
            return live;
        }
    }

    private static String oneLine(Throwable e) {
        Throwable t = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    /** The session with this id, if the node holds it. */
    /** Claims the incoming session {@code id} if nobody did yet. */
    Optional<ContactSession> claim(String id) {
        synchronized (sessions) {
            ContactSession s = sessions.get(id);
            if (s == null || !s.incoming() || s.ended() || s.claimed()) {
                return Optional.empty();
            }
            chose(s);
            return Optional.of(s);
        }
    }

    Optional<ContactSession> find(String id) {
        return Optional.ofNullable(sessions.get(id));
    }

    List<ContactSession> list() {
        return new ArrayList<>(sessions.values());
    }

    /** Closes cleanly (waits until the peer has our bytes, ≤ 10 s) and forgets it; false if there is none. */
    boolean close(String id) {
        ContactSession s = sessions.get(id);
        if (s == null) {
            return false;
        }
        s.session().close();
        sessions.remove(id);
        return true;
    }

    /**
     * A contact was removed: its sessions end, its kept-open path and its relay entries are forgotten
     * (its key is refused at the next handshake anyway: the access policy asks the store).
     */
    void forget(Contact c) {
        endpoint.forgetPath(c.publicKey());
        rendezvous.forget(c);
        if (relayPublisher != null) {
            relayPublisher.forget(c);
        }
        for (ContactSession s : list()) {
            if (s.session().peer().equals(c.publicKey())) {
                sessions.remove(s.id());
                LOG.info("{} ended: the contact {} was removed", s, c.name());
                // close() waits for the peer's acknowledgements (≤ 10 s): not on the caller's thread
                Thread t = new Thread(s.session()::close, "scout-close-removed");
                t.setDaemon(true);
                t.start();

            }
        }
    }

    SessionEndpoint endpoint() {
        return endpoint;
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** The network changed: the relay must learn our new address now, not at the next refresh. */
    void networkChanged() {
        link.registration().ifPresent(RelayRegistration::renew);
    }

    /** What this node does as a relay and as a relay's client. */
    NodeStatus.Relay relayStatus() {
        var reg = link.registration();
        return new NodeStatus.Relay(link.serving(), link.relayStats(), reg.map(r -> r.relay()),
                reg.map(r -> r.registered()).orElse(false), relayPublisher == null ? 0 : relayPublisher.published());
    }

    @Override
    public void close() {
        if (relayPublisher != null) {
            relayPublisher.close();
        }
        rendezvous.close();
        endpoint.close();
        link.close();
    }
}
