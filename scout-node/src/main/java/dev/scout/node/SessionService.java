package dev.scout.node;

import dev.scout.node.threads.DaemonThreads;
import dev.scout.app.Contact;
import dev.scout.app.ScoutApp;
import dev.scout.dht.LimitExceededException;
import dev.scout.node.reach.BirthdayRendezvous;
import dev.scout.node.reach.ContactRelays;
import dev.scout.node.reach.Relays;
import dev.scout.node.reach.RelayedBirthdays;
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
import dev.scout.session.punch.BirthdayLink;
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
    private final ScoutApp app;
    private final Consumer<NodeEvent> events;
    private final SessionEndpoint endpoint;
    private final Rendezvous rendezvous;
    private final Map<String, ContactSession> sessions = new ConcurrentHashMap<>();
    private final DeviceChoice choices = new DeviceChoice();
    private final SecureRandom random = new SecureRandom();
    private final RelayLink link;
    private final Relays relays;
    private final BirthdayLink extraSockets;
    private final RelayedBirthdays relayedBirthdays;
    private final BirthdayRendezvous birthday;
    private final dev.scout.node.reach.RelayFailover failover;

    /** Takes incoming sessions instead of leaving them unclaimed; null: none. */
    private volatile Consumer<ContactSession> taker;

    /**
     * @param nat          our NAT type as the daemon's NAT awareness sees it
     * @param ourAddresses this device's addresses for contacts (external first)
     * @param relay        when to relay for others, the pinned relay, whether to find a home relay
     * @param network      whether the node is publicly reachable or behind a NAT (relaying, home relay)
     * @param addresses    which addresses from contacts (intents, relay entries) we may send to
     * @param wrap         wraps the endpoint's link (NodePush takes the pokes arriving there)
     */
    SessionService(NodeStore store, ScoutApp app, Consumer<NodeEvent> events, DualStackNode node, Supplier<NatType> nat,
                   Supplier<List<InetSocketAddress>> ourAddresses, RelayOptions relay,
                   Relays.Network network, ContactAddressPolicy addresses,
                   java.util.function.UnaryOperator<DatagramLink> wrap) {
        this.store = store;
        this.app = app;
        this.events = events;
        AccessPolicy policy = this::isContact;
        this.link = RelayLink.over(DatagramLink.of(node));
        this.relays = new Relays(link, app, store::contacts, store.requireIdentity(), node, nat, network,
                Relays.Serve.valueOf(relay.serve().name()), relay.via(), relay.findHome(),
                a -> addresses.allows(a) && !dev.scout.node.reach.OwnAddresses.isOurs(a, node, ourAddresses.get()));
        this.extraSockets = BirthdayLink.over(link); // birthday punching's extra sockets (docs/sessions.md)
        this.endpoint = SessionEndpoint.start(store.requireIdentity(), wrap.apply(extraSockets), policy, // wrap: push wake-ups (NodePush)
                SessionConfig.defaults().withConnectTimeout(CONNECT_TIMEOUT));
        endpoint.setLocalNatType(nat.get());
        endpoint.setHolePunching(ourAddresses, addresses::allows); // relayed sessions move to the direct path
        endpoint.onSession(this::incoming);
        ContactRelays contactRelays = new ContactRelays(link, app, addresses);
        this.rendezvous = new Rendezvous(app, store::contacts, endpoint, nat, ourAddresses, store.deviceTag(), contactRelays);
        this.relayedBirthdays = new RelayedBirthdays(app, extraSockets, contactRelays, addresses, nat); // a relayed session's own
        this.birthday = new BirthdayRendezvous(endpoint, extraSockets, addresses);
        this.failover = new dev.scout.node.reach.RelayFailover(contactRelays, link, relays); // a relay dies: another relay
        rendezvous.birthday(birthday);
        rendezvous.existingSessions(new Rendezvous.ExistingSessions() {
            @Override
            public Optional<Session> takeUnclaimed(Contact c, ScoutApp.ContactDevice device) {
                return claimUnclaimed(c, device).map(ContactSession::session);
            }

            @Override
            public boolean anyLive(Contact c) {
                return sessions.values().stream().anyMatch(l -> l.contact().equals(c.name()) && !l.ended());
            }
        });
        rendezvous.watch((c, s) -> register(c.name(), s, true, 0, Rendezvous.VIA_INTENT));
    }

    /**
     * An unclaimed live session with {@code c} (incoming, or an answer to their intent) from {@code device}
     * (null: any of theirs), claimed now.
     */
    private Optional<ContactSession> claimUnclaimed(Contact c, ScoutApp.ContactDevice device) {
        synchronized (sessions) {
            Optional<ContactSession> s = DeviceChoice.newestUnclaimed(sessions.values(), c.name(), device);
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
        return open(contact, null);
    }

    /**
     * As {@link #open(Contact)}, with the contact's device called {@code deviceName} only (null: any):
     * its unclaimed session, else one made to its addresses.
     *
     * @throws UnknownDeviceException if the contact has no device of that name, even after a synchronize
     */
    ContactSession open(Contact contact, String deviceName) throws InterruptedException, NoDirectPathException {
        ScoutApp.ContactDevice device = deviceName == null ? null : device(contact, deviceName);
        Optional<ContactSession> waiting = claimUnclaimed(contact, device);
        if (waiting.isPresent()) {
            return waiting.get();
        }
        long t0 = System.nanoTime();
        Rendezvous.Connected made = rendezvous.connect(contact, device);
        ContactSession live = register(contact.name(), made.session(), false, (System.nanoTime() - t0) / 1_000_000, made.via());
        chose(live); // the same session may have arrived as the answer to the peer's intent
        return live;
    }

    /** The contact's device called {@code name}, from the stored record, else after one synchronize. */
    private ScoutApp.ContactDevice device(Contact contact, String name) {
        try {
            return DeviceChoice.named(app.storedDevices(contact), contact.name(), name);
        } catch (UnknownDeviceException e) {
            return DeviceChoice.named(app.sync(contact).devices(), contact.name(), name); // a device added lately
        }
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
            String punch = null;
            if (birthday.arrived(s) || birthday.madeByBirthday(s)) {
                via = Rendezvous.VIA_DIRECT; // a direct path, found by birthday punching
                punch = BirthdayRendezvous.PUNCH_BIRTHDAY;
            }
            ContactSession live = new ContactSession(id, contact, s, incoming, connectMillis, via, relayed.orElse(null), punch);
            if (incoming && (DeviceChoice.anotherDeviceIsChosen(sessions.values(), live) || choices.lateFromAnotherDevice(live))) {
                LOG.info("session with {} from {}: closed, a session with another of its devices is in use", contact,
                        s.remoteAddress());
                CompletableFuture.runAsync(s::close);
                return live;
            }
            sessions.put(id, live);
            relayed.flatMap(r -> contactOf(s.peer())).ifPresent(c -> CompletableFuture.runAsync(() -> relayedBirthdays.start(c, s)));
            contactOf(s.peer()).ifPresent(c -> failover.watch(c, s));
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
            LOG.info("session {} with {} ({}, via {}{}, {})", id, contact, incoming ? "incoming" : "outgoing", via,
                    punch == null ? "" : ", punch " + punch, s.remoteAddress());
            s.onPathChange(to -> moved(live, to));
            moved(live, s.remoteAddress()); // it may have moved before the listener was set
            return live;
        }
    }

    /**
     * The session moved (docs/sessions.md, "Relay first, then direct"): from a relay to the direct path
     * ({@code via} relay → direct) or back to a relay when the direct path failed; announced as
     * {@link NodeEvent.SessionPathChanged}. Moves between two direct addresses (NAT rebinding) change nothing here.
     */
    private void moved(ContactSession live, InetSocketAddress to) {
        Optional<InetSocketAddress> relayed = link.relayOf(to);
        live.relay().filter(r -> relayed.isPresent() && !r.equals(relayed.get())).ifPresent(failover::left); // relay -> relay
        boolean changed = relayed.isPresent() ? live.movedToRelay(relayed.get())
                : RelayLink.isVirtual(to) && !extraSockets.isExtraSocket(to) ? false
                : live.movedDirect(relayedBirthdays.punched(live.session(), to) ? BirthdayRendezvous.PUNCH_BIRTHDAY : null);
        if (changed && !live.ended()) {
            LOG.info("session {} with {} now via {}{} ({})", live.id(), live.contact(), live.via(),
                    live.punch().map(p -> ", punch " + p).orElse(""), to);
            events.accept(new NodeEvent.SessionPathChanged(live, to));
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
        relays.forget(c);
        for (ContactSession s : list()) {
            if (s.session().peer().equals(c.publicKey())) {
                sessions.remove(s.id());
                LOG.info("{} ended: the contact {} was removed", s, c.name());
                // close() waits for the peer's acknowledgements (≤ 10 s): not on the caller's thread
                DaemonThreads.start("scout-close-removed", s.session()::close);
            }
        }
    }

    /** Push wake-ups: {@code poke} hears each contact a connect intent or our relay entry was published for. */
    void onRecordWritten(Consumer<Contact> poke) {
        rendezvous.onIntentPublished(poke);
        relays.onEntryWritten(poke);
    }

    /** The paths of live sessions with {@code c} and its kept-open path: where a poke reaches it (NodePush). */
    List<InetSocketAddress> livePaths(Contact c) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (ContactSession s : list()) {
            if (!s.ended() && s.session().peer().equals(c.publicKey())) {
                out.add(s.session().remoteAddress());
            }
        }
        endpoint.livePath(c.publicKey()).ifPresent(out::add);
        return out;
    }

    /** The virtual address reaching the client registered at {@code relay} under {@code tag} (NodePush). */
    InetSocketAddress relayRoute(InetSocketAddress relay, byte[] tag) {
        return link.route(relay, tag);
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
        link.standby().ifPresent(RelayRegistration::renew);
    }

    /** The relay link under every session: its relay registrations and what it relayed. */
    RelayLink relayLink() {
        return link;
    }

    /** What this node does as a relay and as a relay's client. */
    Relays.Status relayStatus() {
        return relays.status();
    }

    @Override
    public void close() {
        relays.close();
        rendezvous.close();
        endpoint.close();
        extraSockets.close();
        link.close();
    }
}
