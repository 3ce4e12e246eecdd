package dev.scout.node.reach;

import dev.scout.node.threads.DaemonThreads;
import dev.scout.app.AppEntries;
import dev.scout.app.Contact;
import dev.scout.app.ScoutApp;
import dev.scout.session.NatType;
import dev.scout.session.relay.RelayEntry;
import dev.scout.session.relay.RelayRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Tells contacts that this daemon is reachable through its relay: once the relay confirmed the
 * registration, a kind-5 entry ({@link RelayEntry}: relay, tag, our NAT type, 10 minutes' expiry) goes
 * into every contact's record, which is encrypted for that contact, so only contacts learn the tag. It
 * is written again when the NAT verdict changes, when the home relay or the tag changes, when a contact is
 * new, and every 5 minutes. A standby relay (docs/sessions.md, "Another relay") goes with it as a kind-6
 * entry of the same content, in the same record write.
 */
public final class RelayPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RelayPublisher.class);
    static final long TTL_SECONDS = 600;
    static final long REWRITE_MILLIS = 300_000;
    private static final long CHECK_MILLIS = 1_000;

    private final ScoutApp app;
    private final Supplier<List<Contact>> contacts;
    /** The current registration (the home relay may change). */
    private final Supplier<Optional<RelayRegistration>> registration;
    private final Supplier<NatType> nat;
    /** The standby registration ("Another relay"), published as a kind-6 entry; may give empty. */
    private final Supplier<Optional<RelayRegistration>> standby;
    /** Per contact key: what was written (tag, NAT) and when. */
    private final Map<String, Written> written = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = DaemonThreads.scheduler("scout-relay-publisher");

    private record Written(String what, long at) {
    }

    /** Push wake-ups (issue 20): hears each contact whose record just got our relay entry. */
    private volatile java.util.function.Consumer<Contact> onWritten = c -> { };

    /** Hears each contact whose record just got our relay entry (the node pokes its daemon). */
    public void onWritten(java.util.function.Consumer<Contact> listener) {
        this.onWritten = listener;
    }

    public RelayPublisher(ScoutApp app, Supplier<List<Contact>> contacts, Supplier<Optional<RelayRegistration>> registration,
                          Supplier<NatType> nat) {
        this(app, contacts, registration, Optional::empty, nat);
    }

    /**
     * @param standby the standby registration, published as a second entry (kind {@value ContactRelays#KIND_STANDBY_RELAY})
     */
    public RelayPublisher(ScoutApp app, Supplier<List<Contact>> contacts, Supplier<Optional<RelayRegistration>> registration,
                          Supplier<Optional<RelayRegistration>> standby, Supplier<NatType> nat) {
        this.standby = standby;
        this.app = app;
        this.contacts = contacts;
        this.registration = registration;
        this.nat = nat;
        timer.scheduleWithFixedDelay(this::round, 0, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static String current(RelayRegistration r, NatType n) {
        return r.relay() + "/" + HexFormat.of().formatHex(r.tag()) + "/" + n;
    }

    /** The standby written with the entry (the standby changes less often: rewritten only with it). */
    private Optional<RelayRegistration> liveStandby(RelayRegistration primary) {
        return standby.get().filter(s -> s.registered() && !s.relay().equals(primary.relay()));
    }

    private void round() {
        RelayRegistration registration = this.registration.get().orElse(null);
        if (registration == null || !registration.registered()) {
            return;
        }
        if (standby.get().filter(RelayRegistration::pending).isPresent()) {
            return; // the standby confirms within seconds: both entries then go in one write per contact
        }
        NatType n = nat.get();
        Optional<RelayRegistration> spare = liveStandby(registration);
        String what = current(registration, n) + spare.map(s -> " " + current(s, n)).orElse("");
        long now = System.currentTimeMillis();
        for (Contact c : contacts.get()) {
            Written w = written.get(c.publicKey().toHex());
            if (w != null && w.what().equals(what) && now - w.at() < REWRITE_MILLIS) {
                continue;
            }
            try {
                long expires = now / 1000 + TTL_SECONDS;
                java.util.Map<Integer, byte[]> entries = new java.util.LinkedHashMap<>();
                spare.ifPresent(sp -> entries.put(ContactRelays.KIND_STANDBY_RELAY, new RelayEntry(sp.relay(), sp.tag(), n, expires).encode()));
                entries.put(AppEntries.KIND_RELAY, new RelayEntry(registration.relay(), registration.tag(), n, expires).encode());
                app.publishEntries(c, entries); // both in one record write
                written.put(c.publicKey().toHex(), new Written(what, now));
                onWritten.accept(c); // push wake-up: the contact's daemon reads the new entry now
                LOG.info("told {} we are reachable through the relay at {}{} (NAT: {})", c.name(), registration.relay(),
                        spare.map(sp -> " and the standby relay at " + sp.relay()).orElse(""), n.label());
            } catch (RuntimeException ex) {
                LOG.info("relay entry for {} not published yet: {}", c.name(), ex.getMessage());
            }
        }
    }

    /** {@return how many contacts' records carry our current relay entry (this tag and NAT type)} */
    public int published() {
        RelayRegistration r = registration.get().orElse(null);
        if (r == null) {
            return 0;
        }
        NatType n = nat.get();
        String what = current(r, n) + liveStandby(r).map(s -> " " + current(s, n)).orElse("");
        return (int) written.values().stream().filter(w -> w.what().equals(what)).count();
    }

    /** Forgets what was written for a removed contact. */
    public void forget(Contact c) {
        written.remove(c.publicKey().toHex());
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
