package dev.scout.node;

import dev.scout.node.threads.Workers;
import dev.scout.app.Contact;
import dev.scout.app.ReceivedMessage;
import dev.scout.app.ScoutApp;
import dev.scout.dht.Ed25519PublicKey;
import dev.scout.dht.ScoutException;
import dev.scout.dht.udp.DualStackNode;
import dev.scout.node.nat.NatAwareness;
import dev.scout.node.nat.PrivateNetwork;
import dev.scout.node.loops.AppLoops;
import dev.scout.node.push.NodePush;
import dev.scout.node.reach.Relays;
import dev.scout.node.sessions.Relaying;
import dev.scout.node.sessions.SessionService;
import dev.scout.node.push.PokeWire;
import dev.scout.node.net.NetworkWatch;
import dev.scout.session.NatType;
import dev.scout.session.Session;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One identity on the Mainline DHT, doing the whole job: it owns the dual-stack DHT node and its UDP
 * socket, the contacts and messages ({@link ScoutApp} over a {@link NodeStore}), NAT awareness,
 * rendezvous, relays and direct sessions, and re-stores its records and polls its contacts on its own.
 * Start one with {@link #builder()}; close it when done.
 *
 * <pre>{@code
 * try (ScoutNode alice = ScoutNode.builder().start()) {
 *     Contact bob = alice.contacts().add("bob", Ed25519PublicKey.parse(bobsKey));
 *     alice.send(bob, "hello").join();
 *     Session s = alice.connect(bob).join();
 * }
 * }</pre>
 *
 * <p>Operations that go to the network return {@link CompletableFuture}s, which fail with a
 * {@link ScoutException} as their cause; they start once the node has joined the DHT. Listeners
 * ({@link #onMessage}, {@link #onSession}, {@link #onEvent}) run on the executor given to
 * {@link ScoutNodeBuilder#listenerExecutor}, one at a time and in order by default.
 */
public final class ScoutNode implements AutoCloseable {
    private final NodeStore store;
    private final DualStackNode dht;
    private final ScoutApp app;
    private final NatAwareness nat;
    private final NodeEvents events;
    private final SessionService sessions;
    private final AppLoops loops;
    private final NodePush push;
    private final CompletableFuture<Void> joined;
    private final NodePortMapping portMapping;
    private final NetworkWatch network;
    private final NetworkRecovery recovery;
    private final Workers work;
    private final Contacts contacts;
    private final StatusReport statusReport;
    private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();

    ScoutNode(ScoutNodeBuilder b, NodeStore store, DualStackNode dht) {
        this.store = store;
        this.dht = dht;
        this.joined = dht.bootstrapped();
        this.work = new Workers(joined);
        this.events = new NodeEvents(b.listenerExecutor());
        this.nat = new NatAwareness(dht, b.probeWindowMillis(), b.reprobeMillis(), NatAwareness.ipv4ReadOnly(dht),
                () -> mappedAddress().isPresent());
        DeviceAddresses.Ports ports = DeviceAddresses.Ports.of(dht);
        this.app = new ScoutApp(store, dht, () -> DeviceAddresses.mappedFirst(mappedAddress(),
                DeviceAddresses.of(dht, ports, nat.publishExternal(false), nat.publishExternal(true))));
        // A mapped port takes anyone's packets, as a public socket does: no punching needed towards it.
        Supplier<NatType> natType = () -> b.assumedNat().orElseGet(() -> mappedAddress().isPresent() ? NatType.NONE
                : NatType.ofVerdict(nat.first().nat()));
        dev.scout.session.ContactAddressPolicy policy = PrivateNetwork.contactAddressPolicy(dht);
        this.push = new NodePush(store, store::findContact, app, policy, work.executor(), c -> events.inbox(app, c));
        RelayOptions relay = b.relay();
        var relaying = new Relaying(Relays.Serve.valueOf(relay.serve().name()), relay.via(), relay.findHome(),
                Relays.Network.of(natType, nat));
        this.sessions = new SessionService(store, store::findContact, app, events.sessionEvents(), dht, natType,
                () -> DeviceAddresses.mappedFirst(mappedAddress(), DeviceAddresses.of(dht)), relaying, policy, push::wrap,
                UnknownDeviceException::new);
        push.sessions(sessions::livePaths, sessions::relayRoute);
        sessions.onRecordWritten(c -> push.poke(c, PokeWire.KIND_RECORD));
        this.loops = new AppLoops(store, app, events.loopEvents(app), nat, b.pollMillis(), b.republishMillis());
        this.portMapping = new NodePortMapping(b, dht, events, loops);
        loops.start(joined);
        this.contacts = new NodeContacts(store, sessions, events, push);
        this.statusReport = new StatusReport(store, dht, nat, sessions);
        this.recovery = new NetworkRecovery(dht, nat, sessions, loops, events);
        this.network = recovery.watch(dht, portMapping::remap); // a new gateway or address: ask the router again
    }

    /** {@return whether the DHT answers now, and the last network change noticed} */
    public NetworkStatus network() {
        return recovery.status();
    }

    private Optional<InetSocketAddress> mappedAddress() {
        NodePortMapping m = portMapping;
        return m == null ? Optional.empty() : m.external(); // null only while the constructor runs
    }

    /**
     * {@return the mapping the home router granted for the IPv4 DHT port, if any (PCP, NAT-PMP or UPnP
     * IGD; see {@link ScoutNodeBuilder#portMapping})}
     */
    public Optional<PortMapping> portMapping() {
        return portMapping.current();
    }

    /**
     * Asks the router for the port mapping again at once, in the background (after a network change: a
     * new gateway or address). Does nothing when port mapping is off.
     */
    public void remapPort() {
        portMapping.remap();
    }

    /** {@return a builder: the public DHT, a new identity and an {@link InMemoryStore} unless told otherwise} */
    public static ScoutNodeBuilder builder() {
        return new ScoutNodeBuilder();
    }

    /** {@return this identity's public key: what contacts add} */
    public Ed25519PublicKey publicKey() {
        return store.requireIdentity().publicKey();
    }

    /** {@return a future completed once the DHT node has joined the network} */
    public CompletableFuture<Void> joined() {
        return joined.copy();
    }

    /** {@return the contacts: the people this node finds, reaches and accepts sessions from} */
    public Contacts contacts() {
        return contacts;
    }

    /**
     * Synchronizes the record shared with {@code contact}: publishes this device's entries and reads
     * theirs (their devices and addresses).
     *
     * @param contact the contact
     * @return the report: their devices, the record's seq, how many DHT nodes stored it
     */
    public CompletableFuture<ScoutApp.SyncReport> sync(Contact contact) {
        return work.call(() -> {
            ScoutApp.SyncReport r = events.sync(app, contact);
            if (r.stored() > 0) { // our side of the record changed: the contact's daemon reads it now
                push.poke(contact, PokeWire.KIND_RECORD);
            }
            return r;
        });
    }

    /**
     * Sends a text message: stores it in the DHT, where the contact's devices find it.
     *
     * @param contact the contact
     * @param text    the text; its sealed form must fit a DHT item ({@link dev.scout.dht.LimitExceededException} otherwise)
     * @return the report: the message's id and how many nodes stored it
     */
    public CompletableFuture<ScoutApp.SendReport> send(Contact contact, String text) {
        return work.call(() -> {
            ScoutApp.SendReport r = app.send(contact, text);
            push.poke(contact, PokeWire.KIND_MESSAGE); // the contact's daemon fetches it now, not at its next poll
            return r;
        });
    }

    /**
     * Fetches new messages from {@code contact}; each new one also goes to the {@link #onMessage} listeners.
     * The node fetches by itself too — at once when the contact's node pokes it (push wake-ups), else at its
     * poll — and a message is new only once: listen with {@link #onMessage} rather than reading this report.
     *
     * @param contact the contact
     * @return the report: the new messages and the problems met (e.g. a message that could not be opened)
     */
    public CompletableFuture<ScoutApp.InboxReport> inbox(Contact contact) {
        return work.call(() -> events.inbox(app, contact));
    }

    /**
     * Fetches new messages from every contact (the node also does so on its own every poll interval).
     *
     * @return the new messages, each contact's oldest first
     */
    public CompletableFuture<List<ReceivedMessage>> inbox() {
        return work.call(() -> {
            List<ReceivedMessage> out = new ArrayList<>();
            for (Contact c : store.contacts()) {
                out.addAll(events.inbox(app, c).received());
            }
            return out;
        });
    }

    /**
     * Opens a direct session with {@code contact}: over a kept-open path, their published addresses, a
     * synchronized hole punch or their relay, whichever works first (at most ~13 s). An incoming session
     * from the contact that nobody has taken yet is taken instead.
     *
     * @param contact the contact
     * @return the session; fails with a {@link dev.scout.session.NoDirectPathException} naming the reason
     */
    public CompletableFuture<Session> connect(Contact contact) {
        return open(contact).thenApply(ContactSession::session);
    }

    /**
     * As {@link #connect(Contact)}, with one of the contact's devices (several daemons may share the
     * contact's identity): its unclaimed incoming session, else one made to its addresses only.
     *
     * @param contact the contact
     * @param device  the device's name, as its device entry gives it (case-insensitively); null for any
     * @return the session; fails with an {@link UnknownDeviceException} if the contact has no device of
     *     that name, or a {@link dev.scout.session.NoDirectPathException} naming the reason
     */
    public CompletableFuture<Session> connect(Contact contact, String device) {
        return open(contact, device).thenApply(ContactSession::session);
    }

    /**
     * As {@link #connect}, with how the session was made.
     *
     * @param contact the contact
     * @return the session and its details
     */
    public CompletableFuture<ContactSession> open(Contact contact) {
        return open(contact, null);
    }

    /**
     * As {@link #connect(Contact, String)}, with how the session was made.
     *
     * @param contact the contact
     * @param device  the name of the contact's device to talk to (as its device entry gives it,
     *                case-insensitively), or null for any (the most recently active)
     * @return the session and its details; fails with an {@link UnknownDeviceException} if the contact has
     *     no device of that name
     */
    public CompletableFuture<ContactSession> open(Contact contact, String device) {
        return work.call(() -> {
            try {
                return ContactSession.of(sessions.open(contact, device));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ScoutException("interrupted while connecting to " + contact.name());
            }
        });
    }

    /** {@return the sessions this node holds, ended ones included until they are dropped} */
    public List<ContactSession> sessions() {
        return sessions.list().stream().map(ContactSession::of).toList();
    }

    /**
     * Looks a session up by id.
     *
     * @param id the session's id
     * @return the session, if the node holds it
     */
    public Optional<ContactSession> session(String id) {
        return sessions.find(id).map(ContactSession::of);
    }

    /**
     * Changes how often the node polls its contacts and re-stores its records and messages, while it
     * runs; the change applies within a second.
     *
     * @param poll      between two polls of every contact (at least 1 s)
     * @param republish between two republish rounds (at least 10 s)
     */
    public void intervals(java.time.Duration poll, java.time.Duration republish) {
        if (poll.toMillis() < 1_000 || republish.toMillis() < 10_000) {
            throw new IllegalArgumentException("the poll interval must be at least 1 s and the republish interval at least 10 s");
        }
        loops.intervals(poll.toMillis(), republish.toMillis());
    }

    /**
     * Claims one particular incoming session (one nobody claimed yet), as {@link #open} claims the newest:
     * the contact's other devices' unclaimed sessions are then closed.
     *
     * @param id the session's id
     * @return the session, or empty if there is no such unclaimed, live, incoming session
     */
    public Optional<ContactSession> claimSession(String id) {
        return sessions.claim(id).map(ContactSession::of);
    }

    /**
     * Closes a session cleanly (waiting, at most 10 s, until the peer has our bytes) and forgets it.
     *
     * @param id the session's id
     * @return false if the node holds no session with that id
     */
    public boolean closeSession(String id) {
        return sessions.close(id);
    }

    /**
     * Takes every incoming session from now on. Without such a listener an incoming session waits
     * unclaimed until {@link #connect} is called for that contact.
     *
     * @param listener called with each incoming session
     */
    public void onSession(Consumer<ContactSession> listener) {
        sessions.onSession(s -> events.run(() -> listener.accept(ContactSession.of(s))));
    }

    /**
     * Hears of every new message, whoever fetched it (the node's own poll or {@link #inbox}).
     *
     * @param listener called with each new message
     */
    public void onMessage(Consumer<ReceivedMessage> listener) {
        events.add(e -> {
            if (e instanceof NodeEvent.MessageReceived m) {
                listener.accept(m.message());
            }
        });
    }

    /**
     * Hears of everything the node notices.
     *
     * @param listener called with each event
     */
    public void onEvent(Consumer<NodeEvent> listener) {
        events.add(listener);
    }

    /** {@return what the node knows about itself now (asks the DHT node, at most a few seconds)} */
    public NodeStatus status() {
        return statusReport.now();
    }

    /** The kept-open path to {@code peer}, if one is live (tests). */
    Optional<InetSocketAddress> livePath(Ed25519PublicKey peer) {
        return sessions.endpoint().livePath(peer);
    }

    /** The push wake-ups (tests). */
    NodePush push() {
        return push;
    }

    /** {@return the DHT node, for DHT operations beyond contacts and sessions} */
    public DualStackNode dht() {
        return dht;
    }

    /** {@return the app layer over the store and the DHT node} */
    public ScoutApp app() {
        return app;
    }

    /** {@return the store} */
    public NodeStore store() {
        return store;
    }

    /** Stops the loops, closes the sessions and the DHT node (saving its routing table). */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        network.close();
        loops.close();
        push.close();
        work.close();
        try {
            portMapping.close(); // no mapping outlives the node (at most 2 s against a silent router)
            sessions.close();
        } finally {
            dht.close();
        }
    }

    @Override
    public String toString() {
        return "ScoutNode[" + publicKey().toZBase32() + " on " + dht.localAddresses() + "]";
    }
}
