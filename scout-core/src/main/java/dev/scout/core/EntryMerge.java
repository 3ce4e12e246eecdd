package dev.scout.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Merges two copies of a contact record's entries. Per id the entry with the higher
 * seq wins; on equal seq the one whose {@code flags(u16 big-endian) ‖ content} is
 * greater as unsigned bytes wins. Because that is a total order, the merge is
 * commutative, associative and idempotent: every device ends with the same entries
 * whatever order it sees the copies in.
 *
 * <pre>{@code
 * EntryMerge.Result r = EntryMerge.merge(localEntries, remoteEntries);
 * store(r.merged());
 * r.changed().forEach(listener::entryUpdated);
 * }</pre>
 */
public final class EntryMerge {

    /**
     * Outcome of a merge.
     *
     * @param merged all entries after the merge, one per id, sorted by id
     * @param changed remote entries that were new to local or replaced a local entry, sorted by id
     */
    public record Result(List<RecordEntry> merged, List<RecordEntry> changed) {
        /**
         * Copies the lists.
         *
         * @param merged all entries after the merge, one per id, sorted by id
         * @param changed remote entries that were new to local or replaced a local entry, sorted by id
         */
        public Result {
            merged = List.copyOf(merged);
            changed = List.copyOf(changed);
        }
    }

    private EntryMerge() {
    }

    /**
     * Merges {@code remote} into {@code local}; either list may contain duplicate ids.
     *
     * @param local the local entries
     * @param remote the remote entries
     * @return the merged entries and what changed
     */
    public static Result merge(List<RecordEntry> local, List<RecordEntry> remote) {
        Map<Long, RecordEntry> localById = byId(local);
        Map<Long, RecordEntry> mergedById = new TreeMap<>(localById);
        List<RecordEntry> changed = new ArrayList<>();
        for (RecordEntry r : byId(remote).values()) {
            RecordEntry l = localById.get(r.id());
            RecordEntry winner = l == null ? r : winner(l, r);
            mergedById.put(r.id(), winner);
            if (!winner.equals(l)) {
                changed.add(winner);
            }
        }
        return new Result(new ArrayList<>(mergedById.values()), changed);
    }

    /**
     * Of two versions of the same entry, the one every device keeps.
     *
     * @param a one version
     * @param b another version of the same id
     * @return the version to keep
     */
    public static RecordEntry winner(RecordEntry a, RecordEntry b) {
        if (a.seq() != b.seq()) {
            return a.seq() > b.seq() ? a : b;
        }
        return compareTieBreak(a, b) >= 0 ? a : b;
    }

    private static int compareTieBreak(RecordEntry a, RecordEntry b) {
        return Arrays.compareUnsigned(tieBreakKey(a), tieBreakKey(b));
    }

    private static byte[] tieBreakKey(RecordEntry e) {
        byte[] content = e.unsafeContent();
        byte[] key = new byte[2 + content.length];
        key[0] = (byte) (e.flags() >>> 8);
        key[1] = (byte) e.flags();
        System.arraycopy(content, 0, key, 2, content.length);
        return key;
    }

    private static Map<Long, RecordEntry> byId(List<RecordEntry> entries) {
        Map<Long, RecordEntry> map = new TreeMap<>();
        for (RecordEntry e : entries) {
            map.merge(e.id(), e, EntryMerge::winner);
        }
        return map;
    }
}
