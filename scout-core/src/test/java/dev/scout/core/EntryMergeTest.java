package dev.scout.core;

import dev.scout.testkit.RandomCases;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EntryMergeTest {

    private static List<RecordEntry> merged(List<RecordEntry> a, List<RecordEntry> b) {
        return EntryMerge.merge(a, b).merged();
    }

    private record Two(List<RecordEntry> a, List<RecordEntry> b) {
    }

    private record Three(List<RecordEntry> a, List<RecordEntry> b, List<RecordEntry> c) {
    }

    private static final List<Two> FIXED_TWO = List.of(new Two(List.of(), List.of()),
            new Two(List.of(new RecordEntry(0, -1, 0, new byte[0])), List.of()),
            new Two(List.of(), List.of(new RecordEntry(5, 3, 0x100, new byte[] {2, -2}))));

    private static Two two(Random r) {
        return new Two(entryList(r), entryList(r));
    }

    @Test
    void commutative() {
        RandomCases.forAll(FIXED_TWO, 1000, EntryMergeTest::two, c -> commutative(c.a(), c.b()));
    }

    @Test
    void associative() {
        RandomCases.forAll(List.of(new Three(List.of(), List.of(), List.of())), 1000,
                r -> new Three(entryList(r), entryList(r), entryList(r)), c -> associative(c.a(), c.b(), c.c()));
    }

    @Test
    void idempotent() {
        RandomCases.forAll(FIXED_TWO, 1000, EntryMergeTest::two, c -> idempotent(c.a(), c.b()));
    }

    @Test
    void mergedIsSortedByIdWithOneEntryPerId() {
        RandomCases.forAll(FIXED_TWO, 1000, EntryMergeTest::two, c -> mergedIsSortedByIdWithOneEntryPerId(c.a(), c.b()));
    }

    @Test
    void changedAreExactlyTheEntriesThatDifferFromLocal() {
        RandomCases.forAll(FIXED_TWO, 1000, EntryMergeTest::two,
                c -> changedAreExactlyTheEntriesThatDifferFromLocal(c.a(), c.b()));
    }

    private static void commutative(List<RecordEntry> a, List<RecordEntry> b) {
        assertThat(merged(a, b)).isEqualTo(merged(b, a));
    }

    private static void associative(List<RecordEntry> a, List<RecordEntry> b, List<RecordEntry> c) {
        assertThat(merged(merged(a, b), c)).isEqualTo(merged(a, merged(b, c)));
    }

    private static void idempotent(List<RecordEntry> a, List<RecordEntry> b) {
        List<RecordEntry> ab = merged(a, b);
        assertThat(merged(a, a)).isEqualTo(merged(a, List.of()));
        assertThat(merged(ab, ab)).isEqualTo(ab);
        assertThat(merged(ab, b)).isEqualTo(ab);
        assertThat(EntryMerge.merge(ab, b).changed()).isEmpty();
        assertThat(EntryMerge.merge(ab, a).changed()).isEmpty();
    }

    private static void mergedIsSortedByIdWithOneEntryPerId(List<RecordEntry> a, List<RecordEntry> b) {
        List<Long> ids = merged(a, b).stream().map(RecordEntry::id).toList();
        assertThat(ids).isSorted().doesNotHaveDuplicates();
        List<Long> all = new ArrayList<>();
        a.forEach(e -> all.add(e.id()));
        b.forEach(e -> all.add(e.id()));
        assertThat(ids).containsExactlyInAnyOrderElementsOf(all.stream().distinct().toList());
    }

    private static void changedAreExactlyTheEntriesThatDifferFromLocal(List<RecordEntry> local,
                                                                       List<RecordEntry> remote) {
        EntryMerge.Result result = EntryMerge.merge(local, remote);
        List<RecordEntry> localMerged = merged(local, List.of());
        List<RecordEntry> expected = result.merged().stream().filter(e -> !localMerged.contains(e)).toList();
        assertThat(result.changed()).isEqualTo(expected);
        assertThat(result.merged()).containsAll(result.changed());
    }

    /** Up to 8 entries with few ids, seqs, flags and contents, so that collisions and ties are common. */
    private static List<RecordEntry> entryList(Random r) {
        int size = r.nextInt(6) == 0 ? 0 : 1 + r.nextInt(8);
        List<RecordEntry> entries = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            byte[] content = new byte[r.nextInt(3)];
            for (int k = 0; k < content.length; k++) {
                content[k] = (byte) (r.nextInt(5) - 2);
            }
            entries.add(new RecordEntry(r.nextInt(6), r.nextInt(5) - 1, new int[] {0, 1, 0x100}[r.nextInt(3)], content));
        }
        return entries;
    }

    @Test
    void higherSeqWins() {
        RecordEntry old = RecordEntry.of(1, "old".getBytes());
        RecordEntry newer = old.assign("new".getBytes());
        EntryMerge.Result r = EntryMerge.merge(List.of(old), List.of(newer));
        assertThat(r.merged()).containsExactly(newer);
        assertThat(r.changed()).containsExactly(newer);

        EntryMerge.Result back = EntryMerge.merge(List.of(newer), List.of(old));
        assertThat(back.merged()).containsExactly(newer);
        assertThat(back.changed()).isEmpty();
    }

    @Test
    void equalSeqTieBreaksOnFlagsThenUnsignedContent() {
        RecordEntry low = new RecordEntry(1, 2, 0, new byte[] {0x7f});
        RecordEntry high = new RecordEntry(1, 2, 0, new byte[] {(byte) 0x80}); // 0x80 > 0x7f unsigned
        assertThat(EntryMerge.winner(low, high)).isEqualTo(high);
        assertThat(EntryMerge.winner(high, low)).isEqualTo(high);

        RecordEntry tombstone = new RecordEntry(1, 2, RecordEntry.FLAG_DELETED, new byte[0]);
        assertThat(EntryMerge.winner(high, tombstone)).isEqualTo(tombstone);

        RecordEntry prefix = new RecordEntry(1, 2, 0, new byte[] {1});
        RecordEntry longer = new RecordEntry(1, 2, 0, new byte[] {1, 0});
        assertThat(EntryMerge.winner(prefix, longer)).isEqualTo(longer);
    }

    @Test
    void deletionSpreadsAndNewRemoteEntriesAreReported() {
        RecordEntry a = RecordEntry.of(1, "a".getBytes());
        RecordEntry b = RecordEntry.of(2, "b".getBytes());
        RecordEntry c = RecordEntry.of(3, "c".getBytes());
        EntryMerge.Result r = EntryMerge.merge(List.of(c, a), List.of(a.delete(), b));
        assertThat(r.merged()).containsExactly(a.delete(), b, c);
        assertThat(r.changed()).containsExactly(a.delete(), b);
    }
}
