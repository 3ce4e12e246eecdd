package dev.scout.node.sessions;

import dev.scout.node.threads.DaemonThreads;
import dev.scout.app.AppStore;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A node's direct sessions (docs/spec.md §7): one {@link SessionEndpoint} on the DHT node's own socket,
 * accepting exactly the identities in the current contact list (a removed contact's sessions end, and
 * its key is refused at its next handshake), opening sessions through {@link Rendezvous}, and keeping
 * the sessions it hands out by id. Incoming sessions go to the {@code onSession} listener if there is
 * one, else wait unclaimed until a caller opens a session with that contact (as {@code scout pipe} on
 * the other side does); both are announced to {@link SessionEvents#incoming}, every end to
 * {@link SessionEvents#closed}.
 */
public final class SessionService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionService.class);
    /** Sessions held at once, at most (ended ones are dropped first to make room). */
    static final int MAX_SESSIONS = 64;
    /** A daemon's handshake attempt: short enough that a rendezvous still ends within 15 s. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(8);

    private final AppStore store;
    private final Function<Ed25519PublicKey, Optional<Contact>> findContact;
    private final Function<String, ? extends RuntimeException> unknownDevice;
    private final ScoutApp app;
    private final SessionEvents events;
    private final SessionEndpoint endpoint;
    private final Rendezvous rendezvous;
    private final Map<String, HeldSession> sessions = new ConcurrentHashMap<>();
    private final DeviceChoice choices = new DeviceChoice();
    private final SecureRandom random = new SecureRandom();
    private final RelayLink link;
    private final Relays relays;
    private final BirthdayLink extraSockets;
    private final BirthdayRendezvous birthday;
    private final PathWatch paths;
    /**
     * Blocking side work (clean closes wait for acks, birthday and failover set-up may read a record): its
     * own daemon threads, not the common pool an application shares.
     */
    private final ExecutorService sideWork = DaemonThreads.pool("scout-session-work");

    /** Takes incoming sessions instead of leaving them unclaimed; null: none. */
    private volatile Consumer<HeldSession> taker;

    /**
     * @param store        the node's store: its identity and contacts
     * @param findContact  the contact with a key (one indexed lookup)
     * @param events       hears sessions arrive, move and end
     * @param nat          our NAT type as the daemon's NAT awareness sees it
     * @param ourAddresses this device's addresses for contacts (external first)
     * @param relaying     when to relay for others, the pinned relay, whether to find a home relay, and whether
     *                     the node is publicly reachable or behind a NAT
     * @param addresses    which addresses from contacts (intents, relay entries) we may send to
     * @param wrap         wraps the endpoint's link (NodePush takes the pokes arriving there)
     * @param unknownDevice makes the failure of a session asked for with a device the contact does not have
     */
    public SessionService(AppStore store, Function<Ed25519PublicKey, Optional<Contact>> findContact, ScoutApp app,
                          SessionEvents events, DualStackNode node, Supplier<NatType> nat,
                          Supplier<List<InetSocketAddress>> ourAddresses, Relaying relaying, ContactAddressPolicy addresses,
                          java.util.function.UnaryOperator<DatagramLink> wrap,
                          Function<String, ? extends RuntimeException> unknownDevice) {
        this.store = store;
        this.findContact = findContact;
        this.unknownDevice = unknownDevice;
        this.app = app;
        this.events = events;
        AccessPolicy policy = this::isContact;
        this.link = RelayLink.over(DatagramLink.of(node));
        this.relays = new Relays(link, app, store::contacts, store.requireIdentity(), node, nat, relaying.network(),
                relaying.serve(), relaying.via(), relaying.findHome(),
                a -> addresses.allows(a) && !dev.scout.node.reach.OwnAddresses.isOurs(a, node, ourAddresses.get()));
        this.extraSockets = BirthdayLink.over(link); // birthday punching's extra sockets (docs/sessions.md)
        this.endpoint = SessionEndpoint.start(store.requireIdentity(), wrap.apply(extraSockets), policy, // wrap: push wake-ups (NodePush)
                SessionConfig.defaults().withConnectTimeout(CONNECT_TIMEOUT));
        endpoint.setLocalNatType(nat.get());
        endpoint.setHolePunching(ourAddresses, addresses::allows); // relayed sessions move to the direct path
        endpoint.onSession(this::incoming);
        ContactRelays contactRelays = new ContactRelays(link, app, addresses);
        this.rendezvous = new Rendezvous(app, store::contacts, endpoint, nat, ourAddresses, store.deviceTag(), contactRelays);
        this.birthday = new BirthdayRendezvous(endpoint, extraSockets, addresses);
        this.paths = new PathWatch(link, extraSockets, findContact, events,
                new RelayedBirthdays(app, extraSockets, contactRelays, addresses, nat), // a relayed session's own
                new dev.scout.node.reach.RelayFailover(contactRelays, link, relays, sideWork), // a relay dies: another relay
                sideWork);
        rendezvous.birthday(birthday);
        rendezvous.existingSessions(new Rendezvous.ExistingSessions() {
            @Override
            public Optional<Session> takeUnclaimed(Contact c, ScoutApp.ContactDevice device) {
                return claimUnclaimed(c, device).map(HeldSession::session);
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
    private Optional<HeldSession> claimUnclaimed(Contact c, ScoutApp.ContactDevice device) {
        synchronized (sessions) {
            Optional<HeldSession> s = DeviceChoice.newestUnclaimed(sessions.values(), c.name(), device);
            s.ifPresent(this::chose);
            return s;
        }
    }

    /** Claims {@code s} and ends the sessions the contact's other devices opened (their pipes then end). */
    private void chose(HeldSession s) {
        synchronized (sessions) {
            s.claim();
            for (HeldSession other : DeviceChoice.losers(sessions.values(), s)) {
                LOG.info("session {} with {}: closed, another of its devices ({}) was chosen", other.id(), other.contact(),
                        s.session().remoteAddress());
                sideWork.execute(other.session()::close); // a clean close may wait; not under the lock
            }
        }
    }

    /** Asked at every handshake and, for kept-open paths, every keep round: one indexed lookup. */
    private boolean isContact(Ed25519PublicKey key) {
        return findContact.apply(key).isPresent();
    }

    private Optional<Contact> contactOf(Ed25519PublicKey key) {
        return findContact.apply(key);
    }

    private void incoming(Session s) {
        Optional<Contact> c = contactOf(s.peer());
        if (c.isEmpty()) {
            s.close(); // removed between the handshake and now
            return;
        }
        HeldSession live = register(c.get().name(), s, true, 0, Rendezvous.VIA_INCOMING);
        Consumer<HeldSession> t = taker;
        if (t != null && live.claim()) {
            t.accept(live);
        }
    }

    /** Incoming sessions go to {@code taker} (claimed) from now on. */
    public void onSession(Consumer<HeldSession> taker) {
        this.taker = taker;
    }

    /**
     * A session with {@code contact}: an incoming one nobody claimed yet, else a new one through the
     * rendezvous (blocking, at most ~15 s).
     *
     * @throws NoDirectPathException naming the reason when no path was found
     * @throws LimitExceededException when {@value #MAX_SESSIONS} sessions are open
     */
    public HeldSession open(Contact contact) throws InterruptedException, NoDirectPathException {
        return open(contact, null);
    }

    /**
     * As {@link #open(Contact)}, with the contact's device called {@code deviceName} only (null: any):
     * its unclaimed session, else one made to its addresses.
     *
     * @throws RuntimeException made by {@code unknownDevice} if the contact has no device of that name, even after
     *     a synchronize
     */
    public HeldSession open(Contact contact, String deviceName) throws InterruptedException, NoDirectPathException {
        ScoutApp.ContactDevice device = deviceName == null ? null : device(contact, deviceName);
        Optional<HeldSession> waiting = claimUnclaimed(contact, device);
        if (waiting.isPresent()) {
            return waiting.get();
        }
        long t0 = System.nanoTime();
        Rendezvous.Connected made = rendezvous.connect(contact, device);
        HeldSession live = register(contact.name(), made.session(), false, (System.nanoTime() - t0) / 1_000_000, made.via());
        chose(live); // the same session may have arrived as the answer to the peer's intent
        return live;
    }

    /** The contact's device called {@code name}, from the stored record, else after one synchronize. */
    private ScoutApp.ContactDevice device(Contact contact, String name) {
        return DeviceChoice.find(app.storedDevices(contact), name) // else a device added lately
                .orElseGet(() -> DeviceChoice.named(app.sync(contact).devices(), contact.name(), name, unknownDevice));
    }

    /** Records a session once (the same one may come from a connect and from an intent's answer). */
    private HeldSession register(String contact, Session s, boolean incoming, long connectMillis, String via) {
        synchronized (sessions) {
            for (HeldSession l : sessions.values()) {
                if (l.session() == s) {
                    return l;
                }
            }
            if (sessions.size() >= MAX_SESSIONS) {
                sessions.values().removeIf(HeldSession::ended);
            }
            if (sessions.size() >= MAX_SESSIONS) {
                s.close();
                throw new LimitExceededException("too many sessions open (at most " + MAX_SESSIONS + ")");
            }
            String id = HexFormat.of().formatHex(randomBytes(8));
            // Where it was made, not where it runs now: a relayed session may have moved direct already, and
            // PathWatch.follow then announces the move.
            Optional<InetSocketAddress> relayed = link.relayOf(s.establishedAt());
            if (relayed.isPresent()) {
                via = Rendezvous.VIA_RELAY; // whoever opened it: it runs through a relay
            }
            String punch = null;
            if (birthday.arrived(s) || birthday.madeByBirthday(s)) {
                via = Rendezvous.VIA_DIRECT; // a direct path, found by birthday punching
                punch = BirthdayRendezvous.PUNCH_BIRTHDAY;
            }
            HeldSession live = new HeldSession(id, contact, s, incoming, connectMillis, via, relayed.orElse(null), punch);
            if (incoming && (DeviceChoice.anotherDeviceIsChosen(sessions.values(), live) || choices.lateFromAnotherDevice(live))) {
                LOG.info("session with {} from {}: closed, a session with another of its devices is in use", contact,
                        s.remoteAddress());
                sideWork.execute(s::close);
                return live;
            }
            sessions.put(id, live);
            paths.started(live, link.relayOf(s.remoteAddress()).isPresent());
            if (incoming) {
                events.incoming(live);
            }
            s.closed().whenComplete((v, error) -> {
                live.ended(error == null ? "closed" : oneLine(error));
                if (live.claimed() && live.relay().isEmpty()) {
                    choices.chosenEnded(contact, s.remoteAddress());
                }
                if (!live.claimed()) {
                    sessions.remove(id); // nobody took it, nobody will ask about it
                }
                events.closed(live, error == null ? "closed" : oneLine(error));
            });
            LOG.info("session {} with {} ({}, via {}{}, {})", id, contact, incoming ? "incoming" : "outgoing", via,
                    punch == null ? "" : ", punch " + punch, s.remoteAddress());
            paths.follow(live);
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
    public Optional<HeldSession> claim(String id) {
        synchronized (sessions) {
            HeldSession s = sessions.get(id);
            if (s == null || !s.incoming() || s.ended() || s.claimed()) {
                return Optional.empty();
            }
            chose(s);
            return Optional.of(s);
        }
    }

    public Optional<HeldSession> find(String id) {
        return Optional.ofNullable(sessions.get(id));
    }

    public List<HeldSession> list() {
        return new ArrayList<>(sessions.values());
    }

    /** Closes cleanly (waits until the peer has our bytes, ≤ 10 s) and forgets it; false if there is none. */
    public boolean close(String id) {
        HeldSession s = sessions.get(id);
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
    public void forget(Contact c) {
        endpoint.forgetPath(c.publicKey());
        rendezvous.forget(c);
        relays.forget(c);
        for (HeldSession s : list()) {
            if (s.session().peer().equals(c.publicKey())) {
                sessions.remove(s.id());
                LOG.info("{} ended: the contact {} was removed", s, c.name());
                // close() waits for the peer's acknowledgements (≤ 10 s): not on the caller's thread
                DaemonThreads.start("scout-close-removed", s.session()::close);
            }
        }
    }

    /** Push wake-ups: {@code poke} hears each contact a connect intent or our relay entry was published for. */
    public void onRecordWritten(Consumer<Contact> poke) {
        rendezvous.onIntentPublished(poke);
        relays.onEntryWritten(poke);
    }

    /** The paths of live sessions with {@code c} and its kept-open path: where a poke reaches it (NodePush). */
    public List<InetSocketAddress> livePaths(Contact c) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (HeldSession s : list()) {
            if (!s.ended() && s.session().peer().equals(c.publicKey())) {
                out.add(s.session().remoteAddress());
            }
        }
        endpoint.livePath(c.publicKey()).ifPresent(out::add);
        return out;
    }

    /** The virtual address reaching the client registered at {@code relay} under {@code tag} (NodePush). */
    public InetSocketAddress relayRoute(InetSocketAddress relay, byte[] tag) {
        return link.route(relay, tag);
    }

    public SessionEndpoint endpoint() {
        return endpoint;
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** The network changed: the relay must learn our new address now, not at the next refresh. */
    public void networkChanged() {
        link.registration().ifPresent(RelayRegistration::renew);
        link.standby().ifPresent(RelayRegistration::renew);
    }

    /** The relay link under every session: its relay registrations and what it relayed. */
    public RelayLink relayLink() {
        return link;
    }

    /** What this node does as a relay and as a relay's client. */
    public Relays.Status relayStatus() {
        return relays.status();
    }

    @Override
    public void close() {
        relays.close();
        rendezvous.close();
        endpoint.close();
        extraSockets.close();
        link.close();
        // sideWork is not shut down: a session's last callbacks may still hand it work, and its idle daemon
        // threads end by themselves within a minute
    }
}
