package dev.scout.app;

import dev.scout.core.RecordEntry;

import java.util.Collection;
import java.util.List;

/** The last merged entries of each contact record (what a synchronize starts from). */
public interface RecordStore {
    /**
     * {@return the contact's stored entries, by id (empty if never synchronized)}
     *
     * @param contact the contact's name
     */
    List<RecordEntry> entries(String contact);

    /**
     * Replaces the contact's stored entries, atomically.
     *
     * @param contact the contact's name
     * @param entries the merged record's entries (all of them, not a delta)
     */
    void replaceEntries(String contact, Collection<RecordEntry> entries);
}
