package dev.scout.app;

import dev.scout.core.Entry;

import java.util.Collection;
import java.util.List;

/** The last merged entries of each contact record (what a synchronize starts from). */
public interface RecordStore {
    /** The contact's stored entries, by id (empty if never synchronized). */
    List<Entry> entries(String contact);

    /** Replaces the contact's stored entries, atomically. */
    void replaceEntries(String contact, Collection<Entry> entries);
}
