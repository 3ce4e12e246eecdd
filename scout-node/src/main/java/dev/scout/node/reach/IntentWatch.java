package dev.scout.node.reach;

import dev.scout.app.AppEntries;
import dev.scout.app.Contact;
import dev.scout.app.ScoutApp;
import dev.scout.core.RecordEntry;
import dev.scout.dht.FormatException;
import dev.scout.session.ConnectIntent;
import dev.scout.session.NatType;
import dev.scout.session.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The answering side of {@link Rendezvous}: contacts' connect intents (kind 4) read from the records the
 * message poll stored (nobody reads records for intents), each answered once by connecting at its start
 * time, and what the latest intent of each contact said about its NAT and addresses.
 */
final class IntentWatch {
    private static final Logger LOG = LoggerFactory.getLogger(IntentWatch.class);
    /** How often the stored records (refreshed by the message poll, no network here) are looked at for intents and relays. */
    static final long WATCH_MILLIS = 500;
    /** An intent whose start passed longer ago than this is history, not a request. */
    static final long STALE_MILLIS = 3_000;
    private static final int MAX_ANSWERED = 1_024;

    /** Connects towards an intent's writer at its start time. */
    interface Answer {
        CompletableFuture<Session> connect(Contact c, ConnectIntent intent);
    }

    private final ScoutApp app;
    private final Supplier<List<Contact>> contacts;
    private final ContactRelays relays;
    private final int deviceTag;
    private final ScheduledExecutorService timer;
    private final Supplier<Rendezvous.ExistingSessions> existing;
    private final Answer answer;
    /** The NAT type each contact's latest intent named (by key, hex): named in our failures and handshakes. */
    private final Map<String, NatType> seenNat = new ConcurrentHashMap<>();
    /** The addresses each contact's latest intent named (by key, hex). */
    private final Map<String, List<InetSocketAddress>> seenAddresses = new ConcurrentHashMap<>();
    /** Nonces (hex) of intents answered; bounded, oldest forgotten first. */
    private final Map<String, Boolean> answered = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_ANSWERED;
        }
    };

    /**
     * @param deviceTag this device's tag: intents for another of our devices are not answered
     * @param timer     the rendezvous' timer (the watch loop holds at most one of its threads)
     * @param existing  the sessions the daemon already has: no intent is answered while one is live
     */
    IntentWatch(ScoutApp app, Supplier<List<Contact>> contacts, ContactRelays relays, int deviceTag,
                ScheduledExecutorService timer, Supplier<Rendezvous.ExistingSessions> existing, Answer answer) {
        this.app = app;
        this.contacts = contacts;
        this.relays = relays;
        this.deviceTag = deviceTag;
        this.timer = timer;
        this.existing = existing;
        this.answer = answer;
    }

    /** {@return the NAT type {@code c}'s latest live intent named, else unknown} */
    NatType natOf(Contact c) {
        return seenNat.getOrDefault(c.publicKey().toHex(), NatType.UNKNOWN);
    }

    /** {@return the addresses {@code c}'s latest live intent named, else {@code otherwise}} */
    List<InetSocketAddress> addressesOf(Contact c, List<InetSocketAddress> otherwise) {
        return seenAddresses.getOrDefault(c.publicKey().toHex(), otherwise);
    }

    /** Forgets what a removed contact's intents said. */
    void forget(Contact c) {
        seenNat.remove(c.publicKey().toHex());
        seenAddresses.remove(c.publicKey().toHex());
    }

    /**
     * Starts looking at every contact's stored record entries (as the message poll last read them; no
     * network) each {@value #WATCH_MILLIS} ms: relay entries are remembered, and fresh connect intents
     * addressed to this device (or any) are answered, each nonce once, by connecting towards the writer's
     * addresses at its start time; {@code onSession} receives the resulting sessions.
     */
    void start(BiConsumer<Contact, Session> onSession) {
        timer.scheduleWithFixedDelay(() -> {
            for (Contact c : contacts.get()) {
                try {
                    look(c, onSession);
                } catch (RuntimeException e) {
                    LOG.debug("reading {}'s record for intents: {}", c.name(), e.getMessage());
                }
            }
        }, WATCH_MILLIS, WATCH_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void look(Contact c, BiConsumer<Contact, Session> onSession) {
        long now = System.currentTimeMillis();
        List<RecordEntry> entries = app.storedEntries(c);
        relays.fromEntries(c, entries);
        for (RecordEntry e : entries) {
            if (AppEntries.kindOf(e.id()) != AppEntries.KIND_CONNECT_INTENT) {
                continue;
            }
            ConnectIntent intent;
            try {
                Optional<ConnectIntent> live = ConnectIntent.decode(e.content(), relays.addressPolicy(), now);
                if (live.isEmpty()) {
                    continue; // expired: history, read again at every poll until the contact writes a new one
                }
                intent = live.get();
            } catch (FormatException ex) {
                LOG.warn("malformed connect intent from {} ignored: {}", c.name(), ex.getMessage());
                continue;
            }
            String nonce = HexFormat.of().formatHex(intent.nonce());
            if (intent.isLive(now)) {
                seenNat.put(c.publicKey().toHex(), intent.nat());
                // a symmetric contact's intent names its external IP, its device entry does not (birthday probes need it)
                seenAddresses.put(c.publicKey().toHex(), intent.addresses());
            }
            if (!intent.isLive(now) || intent.startAtMillis() < now - STALE_MILLIS
                    || (intent.targetDevice() != 0 && intent.targetDevice() != deviceTag)) {
                continue;
            }
            synchronized (answered) {
                if (answered.put(nonce, Boolean.TRUE) != null) {
                    continue;
                }
            }
            if (existing.get().anyLive(c)) {
                LOG.info("connect intent from {}: a session is already open; they will take it", c.name());
                continue;
            }
            long delay = Math.max(0, intent.startAtMillis() - System.currentTimeMillis());
            LOG.info("connect intent from {}: sending to {} in {} ms", c.name(), intent.addresses(), delay);
            timer.schedule(() -> {
                // Checked again at the start: both people's intents are answered, and the first start's
                // session is usually live by the second's. A second session now would arrive unclaimed on
                // the contact's side just as its rendezvous takes an unclaimed one, and it could take this
                // one instead, leaving each pipe on its own session (seen once in the NAT lab's cone pipe).
                if (existing.get().anyLive(c)) {
                    LOG.info("connect intent from {}: a session is open by now; they will take it", c.name());
                    return;
                }
                answer.connect(c, intent).whenComplete((s, error) -> {
                    if (s != null) {
                        onSession.accept(c, s);
                    } else {
                        LOG.info("answering {}'s connect intent failed: {}", c.name(), error.getMessage());
                    }
                });
            }, delay, TimeUnit.MILLISECONDS);
        }
    }
}
