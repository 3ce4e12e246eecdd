package dev.scout.core;

import dev.scout.dht.LimitExceededException;
import java.util.List;

/**
 * Callbacks of one {@code synchronize} call. Every method has a default, so implement only
 * what you need.
 *
 * <p><b>Threads.</b> Callbacks run on the thread that completed the DHT operation they
 * follow: with a {@link dev.scout.dht.udp.DhtNode} one of its callback threads (never its I/O
 * loop), in a simulation the simulation's thread. The callbacks of one synchronize never run
 * concurrently with each other, and each happens-before the next. Do not block in them: a
 * blocked callback holds up the DHT's callback pool (or the whole simulation).
 *
 * <p><b>Retries.</b> When the write is refused because another device wrote first, the
 * round is repeated from the read. {@link #entryUpdated} then reports only what changed
 * relative to the list of the previous round, and {@link #finalizeEntries} is asked again
 * with the new merged list.
 *
 * <pre>{@code
 * SyncListener listener = new SyncListener() {
 *     public void entryUpdated(RecordEntry entry) { addressBook.apply(entry); }
 *     public List<RecordEntry> finalizeEntries(List<RecordEntry> merged) { return withMyAddress(merged); }
 *     public void finished(SyncResult result) { store.save(result.entries()); }
 * };
 * }</pre>
 */
public interface SyncListener {

    /** A listener that accepts the merged list unchanged and ignores all events. */
    SyncListener NONE = new SyncListener() {
    };

    /**
     * A remote entry that is new to the local list or replaced a local entry.
     *
     * @param entry the entry
     */
    default void entryUpdated(RecordEntry entry) {
    }

    /**
     * The merged entries (one per id, sorted by id); returns the list to write. Edit it here,
     * e.g. {@code assign} your own entry. A returned list that exceeds the record's limits fails
     * the synchronize with {@link LimitExceededException}, one with two entries of the same id
     * with {@link IllegalArgumentException}, both before anything is written.
     *
     * @param merged the merged entries
     * @return the merged entries (one per id, sorted by id)
     */
    default List<RecordEntry> finalizeEntries(List<RecordEntry> merged) {
        return merged;
    }

    /**
     * The record was written; called just before the returned future completes.
     *
     * @param result the result
     */
    default void finished(SyncResult result) {
    }

    /**
     * The synchronize failed with {@code error}; called just before the returned future fails.
     *
     * @param error the failure
     */
    default void failed(Throwable error) {
    }
}
