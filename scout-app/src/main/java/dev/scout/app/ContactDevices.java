package dev.scout.app;

import dev.scout.core.RecordEntry;
import dev.scout.core.message.MessageId;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Reads a contact's devices out of one side's entries of a shared record (docs/app-format.md). */
final class ContactDevices {
    private ContactDevices() {
    }

    /** The devices {@code side}'s entries describe, in tag order; a device with any entry is listed. */
    static List<ScoutApp.ContactDevice> of(List<RecordEntry> entries, int side) {
        Map<Integer, AppEntries.Device> info = new HashMap<>();
        Map<Integer, MessageId> heads = new HashMap<>();
        Map<Integer, List<ReadMark>> marks = new HashMap<>();
        for (RecordEntry e : entries) {
            if (e.isDeleted() || AppEntries.sideOf(e.id()) != side) {
                continue;
            }
            int tag = AppEntries.tagOf(e.id());
            switch (AppEntries.kindOf(e.id())) {
                case AppEntries.KIND_DEVICE -> {
                    AppEntries.Device d = AppEntries.decodeDevice(e);
                    if (d != null) {
                        info.put(tag, d);
                    }
                }
                case AppEntries.KIND_OUTBOX_HEAD -> heads.put(tag, AppEntries.decodeHead(e));
                case AppEntries.KIND_READ_MARKS -> marks.put(tag, AppEntries.decodeMarks(e));
                default -> { } // a kind from a newer version: kept in the record, ignored here
            }
        }
        TreeSet<Integer> tags = new TreeSet<>();
        tags.addAll(info.keySet());
        tags.addAll(heads.keySet());
        tags.addAll(marks.keySet());
        List<ScoutApp.ContactDevice> out = new ArrayList<>();
        for (int tag : tags) {
            AppEntries.Device d = info.get(tag);
            out.add(new ScoutApp.ContactDevice(tag, d == null ? "" : d.name(), d == null ? List.of() : d.addresses(),
                    heads.getOrDefault(tag, MessageId.END), marks.getOrDefault(tag, List.of()),
                    d == null ? 0 : d.updatedAt()));
        }
        return out;
    }

    /** Marks as delivered every message of this device ({@code tag}) that the contact's devices have read. */
    static void markDelivered(AppStore store, Contact contact, List<ScoutApp.ContactDevice> devices, int tag) {
        for (ScoutApp.ContactDevice d : devices) {
            for (ReadMark m : d.readMarks()) {
                if (m.deviceTag() == tag && !m.messageId().isEnd()) {
                    store.markDelivered(contact.name(), m.messageId());
                }
            }
        }
    }
}
