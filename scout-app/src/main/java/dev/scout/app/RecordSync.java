package dev.scout.app;

import dev.scout.app.ScoutApp.ContactDevice;
import dev.scout.app.ScoutApp.SyncReport;
import dev.scout.core.EntryMerge;
import dev.scout.core.RecordEntry;
import dev.scout.core.RecordItem;
import dev.scout.core.SyncListener;
import dev.scout.core.SyncResult;
import dev.scout.core.Synchronizer;
import dev.scout.core.crypto.PairKeys;
import dev.scout.dht.Ed25519KeyPair;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * This device's entries in a contact record ({@link ScoutApp#sync}, {@link ScoutApp#publishEntry}):
 * writes them (device and addresses, outbox head, read marks, any other kind) into the local copy of the
 * record, skips the write when the record already has all of them (unless forced), stores the merged
 * record and marks as delivered what the contact has read. The caller holds the contact's lock.
 */
final class RecordSync {
    private final AppStore store;
    private final Synchronizer synchronizer;
    private final Supplier<List<InetSocketAddress>> addresses;
    private final Clock clock;
    private final boolean keepPublishedDevice;

    RecordSync(AppStore store, Synchronizer synchronizer, Supplier<List<InetSocketAddress>> addresses, Clock clock,
               boolean keepPublishedDevice) {
        this.store = store;
        this.synchronizer = synchronizer;
        this.addresses = addresses;
        this.clock = clock;
        this.keepPublishedDevice = keepPublishedDevice;
    }

    SyncReport sync(Contact contact, boolean force) {
        Ed25519KeyPair self = store.requireIdentity();
        PairKeys keys = PairKeys.derive(self, contact.publicKey());
        int side = AppEntries.side(self.publicKey(), contact.publicKey());
        int tag = store.deviceTag();
        List<RecordEntry> local = new ArrayList<>(store.entries(contact.name()));
        upsertDevice(local, AppEntries.id(side, tag, AppEntries.KIND_DEVICE),
                new AppEntries.Device(tag, store.deviceName(), addresses.get(), clock.instant().getEpochSecond()),
                keepPublishedDevice);
        upsert(local, AppEntries.id(side, tag, AppEntries.KIND_OUTBOX_HEAD),
                AppEntries.encodeHead(store.outboxHead(contact.name())));
        List<ReadMark> marks = store.readMarks(contact.name());
        if (!marks.isEmpty()) {
            upsert(local, AppEntries.id(side, tag, AppEntries.KIND_READ_MARKS), AppEntries.encodeMarks(marks));
        }
        if (!force) {
            Optional<SyncReport> unchanged = readIfCurrent(contact, keys, local, side, tag);
            if (unchanged.isPresent()) {
                return unchanged.get();
            }
        }
        int[] changed = {0};
        SyncResult result = DhtWait.await(synchronizer.synchronize(keys, local, new SyncListener() {
            @Override
            public void entryUpdated(RecordEntry entry) {
                changed[0]++;
            }
        }), "synchronize with " + contact.name());
        store.replaceEntries(contact.name(), result.entries());
        List<ContactDevice> devices = ContactDevices.of(result.entries(), 1 - side);
        ContactDevices.markDelivered(store, contact, devices, tag);
        return new SyncReport(contact, devices, result.seq(), result.storedNodes(), changed[0]);
    }

    /** Writes (or replaces) this device's entries, content by kind in the map's order, then stores the record once. */
    SyncReport publish(Contact contact, java.util.Map<Integer, byte[]> byKind) {
        int side = AppEntries.side(store.requireIdentity().publicKey(), contact.publicKey());
        List<RecordEntry> local = new ArrayList<>(store.entries(contact.name()));
        byKind.forEach((kind, content) -> upsert(local, AppEntries.id(side, store.deviceTag(), kind), content));
        store.replaceEntries(contact.name(), local);
        return sync(contact, true);
    }

    /** The record as it is, if merging {@code local} into it would change nothing (so no write is needed). */
    private Optional<SyncReport> readIfCurrent(Contact contact, PairKeys keys, List<RecordEntry> local, int side,
                                               int tag) {
        Optional<RecordItem> read = DhtWait.await(synchronizer.read(keys, new byte[0]), "reading the record");
        if (read.isEmpty()) {
            return Optional.empty();
        }
        List<RecordEntry> remote = read.get().entries();
        EntryMerge.Result merge = EntryMerge.merge(local, remote);
        if (!merge.merged().equals(remote)) {
            return Optional.empty();
        }
        store.replaceEntries(contact.name(), merge.merged());
        List<ContactDevice> devices = ContactDevices.of(merge.merged(), 1 - side);
        ContactDevices.markDelivered(store, contact, devices, tag);
        return Optional.of(new SyncReport(contact, devices, read.get().seq(), 0, merge.changed().size()));
    }

    /**
     * Writes this device's kind-1 entry. Its {@code u} (last update) moves only when the addresses or the
     * name change: a timestamp that changed on every synchronize would make every poll a write.
     */
    private static void upsertDevice(List<RecordEntry> entries, long id, AppEntries.Device device, boolean keepPublishedDevice) {
        for (RecordEntry e : entries) {
            if (e.id() == id && !e.isDeleted()) {
                AppEntries.Device current = AppEntries.decodeDevice(e);
                if (current != null && (keepPublishedDevice || current.sameAs(device))) {
                    return;
                }
            }
        }
        upsert(entries, id, AppEntries.encodeDevice(device));
    }

    /** Replaces the content of entry {@code id} (bumping its seq) when it differs; adds it when missing. */
    private static void upsert(List<RecordEntry> entries, long id, byte[] content) {
        for (int i = 0; i < entries.size(); i++) {
            RecordEntry e = entries.get(i);
            if (e.id() == id) {
                if (e.isDeleted() || !Arrays.equals(e.content(), content)) {
                    entries.set(i, e.assign(content));
                }
                return;
            }
        }
        entries.add(RecordEntry.of(id, content));
    }
}
