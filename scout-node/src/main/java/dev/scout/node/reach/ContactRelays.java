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
 * The relays contacts are reachable through (their kind-5 entries, docs/app-format.md), as last read
 * from the pair's records, and the {@link RelayLink} routes to them. One entry per contact key (a
 * contact with several relayed devices: the entry expiring last).
 */
public final class ContactRelays {
    private static final Logger LOG = LoggerFactory.getLogger(ContactRelays.class);

    private final RelayLink link;
    private final ScoutApp app;
    private final ContactAddressPolicy addresses;
    private final Map<String, RelayEntry> byKey = new ConcurrentHashMap<>();

    public ContactRelays(RelayLink link, ScoutApp app, ContactAddressPolicy addresses) {
        this.link = link;
        this.app = app;
        this.addresses = addresses;
    }

    /** {@return which addresses from contacts we may send to (relay entries here, connect intents in Rendezvous)} */
    ContactAddressPolicy addressPolicy() {
        return addresses;
    }

    /** Takes the contact's side's entries of one record read (the intent watch reads them anyway). */
    void fromEntries(Contact c, List<RecordEntry> entries) {
        RelayEntry best = null;
        for (RecordEntry e : entries) {
            if (AppEntries.kindOf(e.id()) != AppEntries.KIND_RELAY) {
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
        if (best == null) {
            byKey.remove(c.publicKey().toHex());
        } else {
            byKey.put(c.publicKey().toHex(), best);
        }
    }

    /**
     * The contact's live relay entry, from the stored record if none is known yet; if there is none
     * there either and {@code readIfUnknown}, one record read first.
     */
    Optional<RelayEntry> live(Contact c, boolean readIfUnknown) {
        RelayEntry e = byKey.get(c.publicKey().toHex());
        if (e == null) {
            fromEntries(c, app.storedEntries(c)); // as the message poll stored them: no network
            e = byKey.get(c.publicKey().toHex());
        }
        if ((e == null || e.nat() == NatType.UNKNOWN) && readIfUnknown) {
            try {
                fromEntries(c, app.peekEntries(c));
            } catch (RuntimeException ex) {
                LOG.debug("reading {}'s record for a relay: {}", c.name(), ex.getMessage());
            }
            e = byKey.get(c.publicKey().toHex());
        }
        return e != null && e.isLive(System.currentTimeMillis()) ? Optional.of(e) : Optional.empty();
    }

    /** Forgets a removed contact's relay entry. */
    void forget(Contact c) {
        byKey.remove(c.publicKey().toHex());
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
