package dev.scout.node.reach;

import dev.scout.node.threads.DaemonThreads;
import dev.scout.app.AppEntries;
import dev.scout.app.Contact;
import dev.scout.app.ScoutApp;
import dev.scout.session.ConnectIntent;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Opening a session with a contact (docs/sessions.md, "Integration with the daemon"): first the
 * kept-open path to the contact if one is live ({@link SessionEndpoint#livePath}: a session between the
 * two was made lately and both keep its NAT mappings open; one round trip, behind NATs too). Then, if
 * the contact publishes a relay (kind 5), <em>relay first, then direct</em>: the initiation goes through
 * the contact's relay at once (and to its published addresses too unless we are behind a NAT); the
 * session carries data through the relay as soon as the handshake completes and moves to the direct
 * path when the hole punching timed by that handshake works. Without a relay: the contact's published
 * addresses directly (public, same LAN, loopback), and if that does not answer within
 * {@value #DIRECT_GRACE_MILLIS} ms the fallback, a kind-4 connect intent in the pair's record, after
 * which both sides send towards each other at the intent's start time. Nobody reads records for intents:
 * {@link #watch} looks at the entries the message poll already stored. Every attempt ends within
 * {@value #DEADLINE_MILLIS} ms.
 */
public final class Rendezvous implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Rendezvous.class);
    static final long DIRECT_GRACE_MILLIS = 1_000;
    /** How long a live path gets before the rendezvous starts; it then stops sending (see {@link #connect}). */
    static final long PATH_GRACE_MILLIS = 1_000;
    /** How a session was made, as {@code via} in the API: a kept-open path, direct sends, a connect intent, or the contact's doing. */
    public static final String VIA_PATH = "path";
    public static final String VIA_DIRECT = "direct";
    public static final String VIA_INTENT = "intent";
    public static final String VIA_INCOMING = "incoming";
    /** Through the contact's relay (docs/sessions.md, "Relaying"), or a session that arrived through ours. */
    public static final String VIA_RELAY = "relay";
    /** Kept for the relay at the end of an attempt that did not go there at once (a relayed handshake: ~2 RTT). */
    static final long RELAY_BUDGET_MILLIS = 3_000;
    /**
     * The whole attempt, success or the one-line failure. docs/spec.md §7 gives `scout pipe` 15 s in all:
     * this leaves 2.5 s for the command's JVM start and API call (the NAT lab measured the command
     * ending at 14.2 s on a loaded machine with the former 14.5 s deadline).
     */
    static final long DEADLINE_MILLIS = 12_500;
    static final long INTENT_TTL_SECONDS = 60;

    private final ScoutApp app;
    private final Supplier<List<Contact>> contacts;
    private final SessionEndpoint endpoint;
    private final Supplier<NatType> nat;
    private final Supplier<List<InetSocketAddress>> ourAddresses;
    private final int deviceTag;
    private final ContactRelays relays;
    private final RelayConnects viaRelays;
    private final IntentWatch intents;
    /**
     * Sessions the daemon already has with a contact: {@link #connect} takes an unclaimed one at the start
     * time instead of opening a second, and an intent is not answered while one is live, so both people's
     * `scout pipe` end up on the same session whoever opened it (SessionService).
     */
    private volatile ExistingSessions existing = ExistingSessions.NONE;
    private final ScheduledExecutorService timer = DaemonThreads.scheduler("scout-rendezvous", 2); // the watch loop holds at most one thread: timed connects never wait behind a slow read

    public Rendezvous(ScoutApp app, Supplier<List<Contact>> contacts, SessionEndpoint endpoint, Supplier<NatType> nat,
               Supplier<List<InetSocketAddress>> ourAddresses, int deviceTag, ContactRelays relays) {
        this.app = app;
        this.contacts = contacts;
        this.endpoint = endpoint;
        this.nat = nat;
        this.ourAddresses = ourAddresses;
        this.deviceTag = deviceTag;
        this.relays = relays;
        this.viaRelays = new RelayConnects(app, endpoint, relays, (c, d) -> existing.takeUnclaimed(c, d));
        this.intents = new IntentWatch(app, contacts, relays, deviceTag, timer, () -> existing, (c, intent) -> {
            endpoint.setLocalNatType(nat.get());
            return withBirthday(endpoint.connect(c.publicKey(), intent.addresses(), intent.nat()), c, nat.get(), intent.nat(),
                    intent.addresses());
        });
    }

    /** What the daemon already has with a contact (see {@link #existing}). */
    public interface ExistingSessions {
        ExistingSessions NONE = new ExistingSessions() {
            @Override
            public Optional<Session> takeUnclaimed(Contact c, ScoutApp.ContactDevice device) {
                return java.util.Optional.empty();
            }

            @Override
            public boolean anyLive(Contact c) {
                return false;
            }
        };

        /** A live session with {@code c} (from {@code device}; null: any) nobody claimed yet, claimed now. */
        Optional<Session> takeUnclaimed(Contact c, ScoutApp.ContactDevice device);

        /** Whether any session with {@code c} is live. */
        boolean anyLive(Contact c);
    }

    private volatile java.util.function.Consumer<Contact> intentPublished = c -> { };

    /** Hears each contact a connect intent was just published for (the node pokes its daemon: push wake-ups). */
    public void onIntentPublished(java.util.function.Consumer<Contact> listener) {
        this.intentPublished = listener;
    }

    public void existingSessions(ExistingSessions sessions) {
        this.existing = sessions;
    }

    /** Birthday punching alongside the rendezvous when exactly one side is symmetric (null: never). */
    private volatile BirthdayRendezvous birthday;

    public void birthday(BirthdayRendezvous b) {
        this.birthday = b;
    }

    /**
     * The one hook of birthday punching (docs/sessions.md): at the rendezvous time, {@code attempt} and the
     * birthday attempt run side by side and the first session wins; the other's session, if any, stays
     * with the daemon (unclaimed). Without birthday punching, {@code attempt} itself.
     */
    private CompletableFuture<Session> withBirthday(CompletableFuture<Session> attempt, Contact c, NatType ours,
                                                    NatType theirs, List<InetSocketAddress> addresses) {
        BirthdayRendezvous b = birthday;
        Optional<CompletableFuture<Session>> punch = b == null ? Optional.empty()
                : b.alongside(c.publicKey(), ours, theirs, addresses, 0);
        if (punch.isEmpty()) {
            return attempt;
        }
        CompletableFuture<Session> first = new CompletableFuture<>();
        java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
        for (CompletableFuture<Session> f : List.of(attempt, punch.get())) {
            f.whenComplete((s, e) -> {
                if (s != null) {
                    first.complete(s);
                    b.stop(c.publicKey()); // no more probes once a session exists
                } else if (failed.incrementAndGet() == 2) {
                    first.completeExceptionally(e);
                }
            });
        }
        return first;
    }

    /**
     * The start delay an intent gets (3.5 s): the contact must read our record within about 2 s to see it
     * — a short message poll, or a poke telling it our record changed. Intents are the fallback for
     * contacts that publish no relay; the deadline leaves no room for a longer delay.
     */
    static final long START_DELAY_MILLIS = 3_500;

    /** A session and how it was made ({@link #VIA_PATH}, {@link #VIA_DIRECT} or {@link #VIA_INTENT}). */
    public record Connected(Session session, String via) {
    }

    /** Connects to {@code contact} (blocking); a {@link NoDirectPathException} names the reason and NAT types. */
    public Connected connect(Contact contact) throws NoDirectPathException, InterruptedException {
        return connect(contact, null);
    }

    /**
     * As {@link #connect(Contact)}, to one of the contact's devices ({@code scout pipe NAME --device};
     * null: any): a kept-open path only if it leads to one of the device's addresses, only its addresses
     * tried, and its tag in the connect intent, so only that device answers.
     */
    public Connected connect(Contact contact, ScoutApp.ContactDevice device) throws NoDirectPathException, InterruptedException {
        long t0 = System.currentTimeMillis();
        NatType ours = nat.get();
        endpoint.setLocalNatType(ours);
        // A live path means both NATs hold mappings for exactly this pair of addresses, refreshed by both
        // sides within the last half minute: our packets pass even behind a NAT. The short try ends its
        // sends after the grace, so a stale path's packets cannot take the contact's NAT tuple during the
        // rendezvous below.
        Optional<InetSocketAddress> path = endpoint.livePath(contact.publicKey())
                .filter(p -> device == null || device.addresses().contains(p));
        if (path.isPresent()) {
            CompletableFuture<Session> viaPath = endpoint.connect(contact.publicKey(), List.of(path.get()),
                    viaRelays.punchAfterPath(contact, path.get(), ours), NatType.UNKNOWN, Duration.ofMillis(PATH_GRACE_MILLIS));
            Session s = await(viaPath, PATH_GRACE_MILLIS + 1_000, contact, ours, false);
            if (s != null) {
                return new Connected(s, VIA_PATH);
            }
            LOG.info("the kept-open path to {} at {} did not answer within {} ms; trying the rendezvous", contact.name(),
                    path.get(), PATH_GRACE_MILLIS);
        }
        // Behind a NAT one record read beats the intent fallback when the stored record has no live relay entry.
        Optional<dev.scout.session.relay.RelayEntry> relay = relays.live(contact, ours == NatType.CONE || ours == NatType.SYMMETRIC);
        if (relay.isPresent()) {
            // Both behind NATs and one of them symmetric: no punching can work, the relay alone.
            return ContactRelays.relayFirst(ours, relay.get().nat()) ? viaRelays.only(contact, relay.get(), ours, t0)
                    : viaRelays.thenDirect(contact, device, relay.get(),
                            device != null ? device.addresses() : addresses(app.storedDevices(contact)), ours, t0);
        }
        List<InetSocketAddress> theirs = device != null ? device.addresses() : addresses(app.storedDevices(contact));
        if (theirs.isEmpty() && device == null) {
            theirs = addresses(app.sync(contact).devices());
        }
        if (theirs.isEmpty()) {
            throw new NoDirectPathException("no address known for " + contact.name()
                    + (device != null ? "'s device " + device.name() + ": it has published none (is its daemon running?)"
                    : ": the shared record has no device of theirs yet (has their daemon run?)"));
        }
        // Behind a NAT our packets reaching their NAT before they sent to us would take the tuple their
        // NAT needs (docs/sessions.md): then only the synchronized start through the record works.
        boolean direct = ours != NatType.CONE && ours != NatType.SYMMETRIC;
        CompletableFuture<Session> attempt = null;
        if (direct) {
            attempt = endpoint.connect(contact.publicKey(), theirs, NatType.UNKNOWN);
            Session s = await(attempt, DIRECT_GRACE_MILLIS, contact, ours, true);
            if (s != null) {
                return new Connected(s, VIA_DIRECT);
            }
        }
        List<InetSocketAddress> mine = ourAddresses.get();
        if (mine.isEmpty()) {
            throw new NoDirectPathException("no direct path to " + contact.name() + ": this device knows no address of its own");
        }
        mine = mine.subList(0, Math.min(mine.size(), ConnectIntent.MAX_ADDRESSES));
        ConnectIntent intent = ConnectIntent.create(mine, ours, device == null ? 0 : device.tag(), System.currentTimeMillis(), START_DELAY_MILLIS,
                INTENT_TTL_SECONDS);
        try {
            app.publishEntry(contact, AppEntries.KIND_CONNECT_INTENT, intent.encode());
            intentPublished.accept(contact); // push wake-up: the contact reads the record at once, not at its poll
        } catch (RuntimeException e) {
            if (attempt == null) {
                throw new NoDirectPathException("no direct path to " + contact.name() + ": could not publish the connect intent: "
                        + e.getMessage());
            }
            LOG.warn("connect intent for {} not published: {}", contact.name(), e.getMessage());
        }
        long untilStart = intent.startAtMillis() - System.currentTimeMillis();
        if (untilStart > 0 && attempt != null) {
            Session s = await(attempt, untilStart, contact, ours, false);
            if (s != null) {
                return new Connected(s, VIA_INTENT);
            }
        } else if (untilStart > 0) {
            Thread.sleep(untilStart); // the agreed start: both NATs must see our packets at about the same moment
        }
        // The contact may have reached us meanwhile (e.g. a public contact's direct connect): use that one.
        Optional<Session> arrived = existing.takeUnclaimed(contact, device);
        if (arrived.isPresent()) {
            return new Connected(arrived.get(), VIA_INCOMING);
        }
        // Joins the direct attempt if it still runs (same peer), else starts sending now.
        NatType theirNat = intents.natOf(contact);
        CompletableFuture<Session> atStart = withBirthday(endpoint.connect(contact.publicKey(), theirs, theirNat), contact,
                ours, theirNat, intents.addressesOf(contact, theirs));
        Optional<dev.scout.session.relay.RelayEntry> fallback = relays.live(contact, false);
        if (fallback.isPresent()) {
            // Keep the end of the attempt for the contact's relay: its route joins the running attempt.
            Session s = await(atStart, Math.max(1, t0 + DEADLINE_MILLIS - RELAY_BUDGET_MILLIS - System.currentTimeMillis()),
                    contact, ours, false);
            if (s != null) {
                return new Connected(s, VIA_INTENT);
            }
            LOG.info("no direct answer from {}; trying its relay at {}", contact.name(), fallback.get().relay());
            atStart = endpoint.connect(contact.publicKey(), List.of(relays.route(fallback.get())), theirNat);
        }
        Session s = await(atStart, Math.max(1, t0 + DEADLINE_MILLIS - System.currentTimeMillis()), contact, ours, true);
        if (s != null && dev.scout.session.relay.RelayLink.isVirtual(s.remoteAddress())) {
            return new Connected(s, VIA_RELAY);
        }
        if (s == null) {
            throw new NoDirectPathException("no direct path to " + contact.name() + " within "
                    + (System.currentTimeMillis() - t0) / 1000 + " s: no answer from " + theirs + " (NAT: ours "
                    + ours.label() + ", theirs " + (theirNat == NatType.UNKNOWN ? "unknown" : theirNat.label()) + ")");
        }
        return new Connected(s, VIA_INTENT);
    }

    /** The session if {@code f} completes in time; null on timeout; failures rethrown when {@code last}. */
    static Session await(CompletableFuture<Session> f, long millis, Contact c, NatType ours, boolean last)
            throws NoDirectPathException, InterruptedException {
        try {
            return f.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            if (!last) {
                return null;
            }
            if (e.getCause() instanceof NoDirectPathException n) {
                throw n;
            }
            throw new NoDirectPathException("no direct path to " + c.name() + ": " + e.getCause().getMessage()
                    + " (NAT: ours " + ours.label() + ")");
        }
    }

    static List<InetSocketAddress> addresses(List<ScoutApp.ContactDevice> devices) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (ScoutApp.ContactDevice d : devices) {
            for (InetSocketAddress a : d.addresses()) {
                if (!out.contains(a)) {
                    out.add(a);
                }
            }
        }
        return out;
    }

    /**
     * Starts answering contacts' connect intents ({@link IntentWatch}); {@code onSession} receives the
     * resulting sessions.
     */
    public void watch(BiConsumer<Contact, Session> onSession) {
        intents.start(onSession);
    }

    /** Forgets what was learnt about a removed contact (its NAT type and relay). */
    public void forget(Contact c) {
        intents.forget(c);
        relays.forget(c);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        BirthdayRendezvous b = birthday;
        if (b != null) {
            b.close();
        }
    }
}
