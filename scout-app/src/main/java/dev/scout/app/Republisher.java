package dev.scout.app;

import dev.scout.dht.Dht;
import dev.scout.dht.ImmutableItem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Consumer;

/** Re-stores what must outlive the DHT's two-hour expiry: each contact record and every unread message of ours. */
final class Republisher {
    private static final Logger LOG = LoggerFactory.getLogger(ScoutApp.class);

    private Republisher() {
    }

    /** See {@link ScoutApp#republish()}; {@code forceSync} re-stores one contact's record. */
    static int republish(AppStore store, Dht dht, Consumer<Contact> forceSync) {
        return republish(store, dht, forceSync, store.contacts());
    }

    /** As above, for {@code contacts} only: their records and the unread messages to them. */
    static int republish(AppStore store, Dht dht, Consumer<Contact> forceSync, List<Contact> contacts) {
        int count = 0;
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Contact contact : contacts) {
            names.add(contact.name());
            try {
                forceSync.accept(contact);
                count++;
            } catch (RuntimeException e) {
                LOG.warn("could not re-store the record shared with {}: {}", contact.name(), e.getMessage());
            }
        }
        for (OutgoingMessage m : store.undelivered()) {
            if (!names.contains(m.contact())) {
                continue;
            }
            try {
                if (DhtWait.await(dht.putImmutable(ImmutableItem.ofBencoded(m.value())), "re-storing a message").stored() > 0) {
                    store.markStored(m.contact(), m.id());
                    count++;
                }
            } catch (RuntimeException e) {
                LOG.warn("could not re-store message {}: {}", m.id().toHex(), e.getMessage());
            }
        }
        return count;
    }
}
