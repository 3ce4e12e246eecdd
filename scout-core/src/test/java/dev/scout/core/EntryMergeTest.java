package dev.scout.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class EntryMergeTest {

    private static List<RecordEntry> merged(List<RecordEntry> a, List<RecordEntry> b) {
        return EntryMerge.merge(a, b).merged();
    }

    @Property
    void commutative(@ForAll("entryLists") List<RecordEntry> a, @ForAll("entryLists") List<RecordEntry> b) {
        assertThat(merged(a, b)).isEqualTo(merged(b, a));
    }

    @Property
    void associative(@ForAll("entryLists") List<RecordEntry> a, @ForAll("entryLists") List<RecordEntry> b,
                     @ForAll("entryLists") List<RecordEntry> c) {
        assertThat(merged(merged(a, b), c)).isEqualTo(merged(a, merged(b, c)));
    }

    @Property
    void idempotent(@ForAll("entryLists") List<RecordEntry> a, @ForAll("entryLists") List<RecordEntry> b) {
        List<RecordEntry> ab = merged(a, b);
        assertThat(merged(a, a)).isEqualTo(merged(a, List.of()));
        assertThat(merged(ab, ab)).isEqualTo(ab);
        assertThat(merged(ab, b)).isEqualTo(ab);
        assertThat(EntryMerge.merge(ab, b).changed()).isEmpty();
        assertThat(EntryMerge.merge(ab, a).changed()).isEmpty();
    }

    @Property
    void mergedIsSortedByIdWithOneEntryPerId(@ForAll("entryLists") List<RecordEntry> a, @ForAll("entryLists") List<RecordEntry> b) {
        List<Long> ids = merged(a, b).stream().map(RecordEntry::id).toList();
        assertThat(ids).isSorted().doesNotHaveDuplicates();
        List<Long> all = new ArrayList<>();
        a.forEach(e -> all.add(e.id()));
        b.forEach(e -> all.add(e.id()));
        assertThat(ids).containsExactlyInAnyOrderElementsOf(all.stream().distinct().toList());
    }

    @Property
    void changedAreExactlyTheEntriesThatDifferFromLocal(@ForAll("entryLists") List<RecordEntry> local,
                                                        @ForAll("entryLists") List<RecordEntry> remote) {
        EntryMerge.Result result = EntryMerge.merge(local, remote);
        List<RecordEntry> localMerged = merged(local, List.of());
        List<RecordEntry> expected = result.merged().stream().filter(e -> !localMerged.contains(e)).toList();
        assertThat(result.changed()).isEqualTo(expected);
        assertThat(result.merged()).containsAll(result.changed());
    }

    @Provide
    Arbitrary<List<RecordEntry>> entryLists() {
        // Few ids, seqs, flags and contents so that collisions and ties are common.
        Arbitrary<RecordEntry> entry = Combinators.combine(
                        Arbitraries.longs().between(0, 5),
                        Arbitraries.longs().between(-1, 3),
                        Arbitraries.of(0, 1, 0x100),
                        Arbitraries.bytes().between((byte) -2, (byte) 2).array(byte[].class).ofMaxSize(2))
                .as(RecordEntry::new);
        return entry.list().ofMaxSize(8);
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
