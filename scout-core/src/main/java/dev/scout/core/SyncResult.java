package dev.scout.core;

import dev.scout.dht.MutableItem;
import java.util.List;
import java.util.Objects;

/**
 * What a successful {@code synchronize} wrote.
 *
 * <pre>{@code
 * SyncResult r = session.synchronize(keys, local, SyncListener.NONE).get(30, TimeUnit.SECONDS);
 * local = r.entries();
 * session.keepAlive(r.item());  // keep the record in the DHT beyond its 2-hour expiry
 * }</pre>
 *
 * @param entries the entries written (the finalized list), now the local state
 * @param updated every remote entry reported through {@link SyncListener#entryUpdated}
 * @param seq the BEP 44 seq written
 * @param storedNodes how many DHT nodes accepted the record
 * @param attempts get-merge-put rounds needed (1 without contention)
 * @param item the signed item as written, e.g. for {@link KeepAlive}
 */
public record SyncResult(List<RecordEntry> entries, List<RecordEntry> updated, long seq, int storedNodes, int attempts,
                         MutableItem item) {

    /**
     * Copies the lists.
     *
     * @param entries the entries written (the finalized list), now the local state
     * @param updated every remote entry reported through {@link SyncListener#entryUpdated}
     * @param seq the BEP 44 seq written
     * @param storedNodes how many DHT nodes accepted the record
     * @param attempts get-merge-put rounds needed (1 without contention)
     * @param item the signed item as written, e.g. for {@link KeepAlive}
     */
    public SyncResult {
        entries = List.copyOf(entries);
        updated = List.copyOf(updated);
        Objects.requireNonNull(item, "item");
    }

    @Override
    public String toString() {
        return "SyncResult[seq=" + seq + ", entries=" + entries.size() + ", updated=" + updated.size()
                + ", storedNodes=" + storedNodes + ", attempts=" + attempts + "]";
    }
}
