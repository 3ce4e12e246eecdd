package dev.scout.app;

import dev.scout.core.RecordEntry;

import java.util.Arrays;
import java.util.List;

/** Writes this device's entries into a local copy of a shared record before it is synchronized. */
final class OwnEntries {
    private OwnEntries() {
    }

    /**
     * Writes this device's kind-1 entry. Its {@code u} (last update) moves only when the addresses or the
     * name change: a timestamp that changed on every synchronize would make every poll a write.
     */
    static void upsertDevice(List<RecordEntry> entries, long id, AppEntries.Device device, boolean keepPublishedDevice) {
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
    static void upsert(List<RecordEntry> entries, long id, byte[] content) {
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
