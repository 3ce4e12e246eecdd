package dev.scout.node.push;

import dev.scout.node.threads.DaemonThreads;
import dev.scout.app.AppEntries;
import dev.scout.app.AppStore;
import dev.scout.app.Contact;
import dev.scout.app.ScoutApp;
import dev.scout.core.RecordEntry;
import dev.scout.dht.Ed25519PublicKey;
import dev.scout.session.ContactAddressPolicy;
import dev.scout.session.DatagramLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A node's push wake-ups (docs/sessions.md, "Push wake-ups"): after storing a message or changing the
 * pair's record it pokes the contact's daemon (and once more a second later, in case one datagram was
 * lost), and a poke taken from a contact makes this node read that contact's record and messages at
 * once, one lookup, instead of at its next safety-net poll.
 */
public final class NodePush implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodePush.class);
    /** The one repeat of each poke, after this long. */
    static final long REPEAT_MILLIS = 1_000;
    /** Contacts added behind the node's back (straight into the store) can poke us after at most this long. */
    static final long REFRESH_MILLIS = 5_000;

    private final AppStore store;
    private final ScoutApp app;
    private final ContactAddressPolicy policy;
    private final Pokes pokes;
    private final WakeUps wakeUps;
    private final ScheduledExecutorService timer = DaemonThreads.scheduler("scout-push");
    private volatile Function<Contact, List<InetSocketAddress>> paths = c -> List.of();
    private volatile BiFunction<InetSocketAddress, byte[], InetSocketAddress> route = (r, t) -> null;

    /**
     * @param findContact the contact with a key (the node's store)
     * @param work where the syncs a poke causes run
     * @param sync reads one contact's record and messages (announcing what is new)
     */
    public NodePush(AppStore store, Function<Ed25519PublicKey, Optional<Contact>> findContact, ScoutApp app,
                    ContactAddressPolicy policy, Executor work, Consumer<Contact> sync) {
        this.store = store;
        this.app = app;
        this.policy = policy;
        this.wakeUps = new WakeUps(work, key -> findContact.apply(key).ifPresent(sync));
        this.pokes = new Pokes(store.requireIdentity(), wakeUps::wake, System::currentTimeMillis);
        refresh();
        timer.scheduleWithFixedDelay(this::refresh, REFRESH_MILLIS, REFRESH_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Wraps the session endpoint's link: pokes are taken (and sent) there. */
    public DatagramLink wrap(DatagramLink link) {
        return pokes.over(link);
    }

    /** Where the live session paths to a contact and the routes through relays come from (SessionService). */
    public void sessions(Function<Contact, List<InetSocketAddress>> paths, BiFunction<InetSocketAddress, byte[], InetSocketAddress> route) {
        this.paths = paths;
        this.route = route;
    }

    /** The contacts changed: who may poke us. */
    public void refresh() {
        try {
            pokes.contacts(store.contacts().stream().map(Contact::publicKey).toList());
        } catch (RuntimeException e) {
            LOG.debug("reading the contacts for pokes: {}", e.getMessage());
        }
    }

    /** Pokes {@code c}'s daemon (never throws: a lost poke only leaves the contact to its poll). */
    public void poke(Contact c, byte kind) {
        try {
            int side = AppEntries.side(store.requireIdentity().publicKey(), c.publicKey());
            List<RecordEntry> theirs = store.entries(c.name()).stream().filter(e -> AppEntries.sideOf(e.id()) == 1 - side).toList();
            List<InetSocketAddress> targets = PokeTargets.of(paths.apply(c), app.storedDevices(c), theirs, policy, route,
                    System.currentTimeMillis(), kind == dev.scout.node.push.PokeWire.KIND_MESSAGE);
            byte[] d = pokes.poke(c.publicKey(), kind, targets);
            if (d != null) {
                LOG.debug("poked {} at {}", c.name(), targets);
                timer.schedule(() -> pokes.send(d, targets), REPEAT_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (RuntimeException e) {
            LOG.info("could not poke {}: {}", c.name(), e.getMessage());
        }
    }

    /** Forgets a removed contact. */
    public void forget(Contact c) {
        wakeUps.forget(c.publicKey());
        refresh();
    }

    /** {@return pokes taken and 0xF7 datagrams dropped so far (tests)} */
    public long[] counts() {
        return new long[] {pokes.taken(), pokes.dropped()};
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
