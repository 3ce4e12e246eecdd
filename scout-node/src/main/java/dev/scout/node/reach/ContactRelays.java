package dev.scout.node.reach;

import dev.scout.app.AppEntries;
import dev.scout.app.Contact;
import dev.scout.app.ScoutApp;
import dev.scout.core.RecordEntry;
import dev.scout.dht.FormatException;
import dev.scout.session.ContactAddressPolicy;
import dev.scout.session.NatType;
import dev.scout.session.relay.RelayEntry;
import dev.scout.session.relay.RelayLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The relays contacts are reachable through (their kind-5 entries, docs/app-format.md, and their
 * standby relays' kind-6 entries), as last read from the pair's records, and the {@link RelayLink}
 * routes to them. One entry of each kind per contact key (a contact with several relayed devices: the
 * entry expiring last).
 */
public final class ContactRelays {
    private static final Logger LOG = LoggerFactory.getLogger(ContactRelays.class);

    private final RelayLink link;
    private final ScoutApp app;
    private final ContactAddressPolicy addresses;
    private final Map<String, RelayEntry> byKey = new ConcurrentHashMap<>();
    /** Contacts' standby relays (kind 6), by key: a second route for a relayed session ("Another relay"). */
    private final Map<String, RelayEntry> standbyByKey = new ConcurrentHashMap<>();

    /**
     * The entry kind of a device's standby relay (docs/app-format.md): the content of a relay entry
     * (kind 5), naming the second relay the device is registered at. Readers that do not know it skip it.
     */
    public static final int KIND_STANDBY_RELAY = 6;

    public ContactRelays(RelayLink link, ScoutApp app, ContactAddressPolicy addresses) {
        this.link = link;
        this.app = app;
        this.addresses = addresses;
    }

    /** {@return which addresses from contacts we may send to (relay entries here, connect intents in Rendezvous)} */
    ContactAddressPolicy addressPolicy() {
        return addresses;
    }

    /**
     * Takes the contact's side's entries of one record read (stored or fresh): the entry expiring last
     * wins; an entry we hold is dropped only once it expired and the record has none.
     */
    void fromEntries(Contact c, List<RecordEntry> entries) {
        keep(c, entries, AppEntries.KIND_RELAY, byKey);
        keep(c, entries, KIND_STANDBY_RELAY, standbyByKey);
    }

    private void keep(Contact c, List<RecordEntry> entries, int kind, Map<String, RelayEntry> byKey) {
        RelayEntry best = null;
        for (RecordEntry e : entries) {
            if (AppEntries.kindOf(e.id()) != kind || e.isDeleted()) {
                continue;
            }
            try {
                RelayEntry r = RelayEntry.decode(e.content(), addresses);
                if (best == null || r.expiresAt() > best.expiresAt()) {
                    best = r;
                }
            } catch (FormatException ex) {
                LOG.warn("malformed relay entry from {} ignored: {}", c.name(), ex.getMessage());
            }
        }
        String key = c.publicKey().toHex();
        RelayEntry held = byKey.get(key);
        if (best != null && (held == null || best.expiresAt() >= held.expiresAt())) {
            byKey.put(key, best);
        } else if (best == null && held != null && !held.isLive(System.currentTimeMillis())) {
            byKey.remove(key);
        }
    }

    /**
     * The contact's live relay entry: the one held, else from the stored record (the message poll's
     * last read; no network), else — if {@code readIfUnknown} — from one record read.
     */
    Optional<RelayEntry> live(Contact c, boolean readIfUnknown) {
        String key = c.publicKey().toHex();
        if (!usable(byKey.get(key))) {
            fromEntries(c, app.storedEntries(c));
        }
        if (!usable(byKey.get(key)) && readIfUnknown) {
            try {
                fromEntries(c, app.peekEntries(c));
            } catch (RuntimeException ex) {
                LOG.debug("reading {}'s record for a relay: {}", c.name(), ex.getMessage());
            }
        }
        RelayEntry e = byKey.get(key);
        return e != null && e.isLive(System.currentTimeMillis()) ? Optional.of(e) : Optional.empty();
    }

    private static boolean usable(RelayEntry e) {
        return e != null && e.isLive(System.currentTimeMillis()) && e.nat() != NatType.UNKNOWN;
    }

    /** Forgets a removed contact's relay entries. */
    void forget(Contact c) {
        byKey.remove(c.publicKey().toHex());
        standbyByKey.remove(c.publicKey().toHex());
    }

    /**
     * {@return the routes that reach the contact through each relay it publishes (its home relay, then its
     * standby), live entries only; from what is held or stored, no network}
     */
    List<InetSocketAddress> routes(Contact c) {
        fromEntries(c, app.storedEntries(c)); // the standby may be newer than the entry held
        long now = System.currentTimeMillis();
        List<InetSocketAddress> out = new java.util.ArrayList<>();
        for (RelayEntry e : new RelayEntry[] {byKey.get(c.publicKey().toHex()), standbyByKey.get(c.publicKey().toHex())}) {
            if (e != null && e.isLive(now)) {
                out.add(route(e));
            }
        }
        return out;
    }

    /** {@return the virtual address that reaches the contact through its relay} */
    InetSocketAddress route(RelayEntry e) {
        return link.route(e.relay(), e.tag());
    }

    /**
     * Whether a direct path cannot work, so the relay is tried at once: one side behind a symmetric NAT
     * and the other behind some NAT (a symmetric NAT gives every destination its own port, so
     * simultaneous sends cannot meet; docs/sessions.md). With a public side the direct way works.
     */
    static boolean relayFirst(NatType ours, NatType theirs) {
        boolean oursNat = ours == NatType.CONE || ours == NatType.SYMMETRIC;
        boolean theirsNat = theirs == NatType.CONE || theirs == NatType.SYMMETRIC;
        return oursNat && theirsNat && (ours == NatType.SYMMETRIC || theirs == NatType.SYMMETRIC);
    }
}
