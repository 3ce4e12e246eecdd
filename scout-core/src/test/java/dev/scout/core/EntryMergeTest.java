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

    private static List<Entry> merged(List<Entry> a, List<Entry> b) {
        return EntryMerge.merge(a, b).merged();
    }

    @Property
    void commutative(@ForAll("entryLists") List<Entry> a, @ForAll("entryLists") List<Entry> b) {
        assertThat(merged(a, b)).isEqualTo(merged(b, a));
    }

    @Property
    void associative(@ForAll("entryLists") List<Entry> a, @ForAll("entryLists") List<Entry> b,
                     @ForAll("entryLists") List<Entry> c) {
        assertThat(merged(merged(a, b), c)).isEqualTo(merged(a, merged(b, c)));
    }

    @Property
    void idempotent(@ForAll("entryLists") List<Entry> a, @ForAll("entryLists") List<Entry> b) {
        List<Entry> ab = merged(a, b);
        assertThat(merged(a, a)).isEqualTo(merged(a, List.of()));
        assertThat(merged(ab, ab)).isEqualTo(ab);
        assertThat(merged(ab, b)).isEqualTo(ab);
        assertThat(EntryMerge.merge(ab, b).changed()).isEmpty();
        assertThat(EntryMerge.merge(ab, a).changed()).isEmpty();
    }

    @Property
    void mergedIsSortedByIdWithOneEntryPerId(@ForAll("entryLists") List<Entry> a, @ForAll("entryLists") List<Entry> b) {
        List<Long> ids = merged(a, b).stream().map(Entry::id).toList();
        assertThat(ids).isSorted().doesNotHaveDuplicates();
        List<Long> all = new ArrayList<>();
        a.forEach(e -> all.add(e.id()));
        b.forEach(e -> all.add(e.id()));
        assertThat(ids).containsExactlyInAnyOrderElementsOf(all.stream().distinct().toList());
    }

    @Property
    void changedAreExactlyTheEntriesThatDifferFromLocal(@ForAll("entryLists") List<Entry> local,
                                                        @ForAll("entryLists") List<Entry> remote) {
        EntryMerge.Result result = EntryMerge.merge(local, remote);
        List<Entry> localMerged = merged(local, List.of());
        List<Entry> expected = result.merged().stream().filter(e -> !localMerged.contains(e)).toList();
        assertThat(result.changed()).isEqualTo(expected);
        assertThat(result.merged()).containsAll(result.changed());
    }

    @Provide
    Arbitrary<List<Entry>> entryLists() {
        // Few ids, seqs, flags and contents so that collisions and ties are common.
        Arbitrary<Entry> entry = Combinators.combine(
                        Arbitraries.longs().between(0, 5),
                        Arbitraries.longs().between(-1, 3),
                        Arbitraries.of(0, 1, 0x100),
                        Arbitraries.bytes().between((byte) -2, (byte) 2).array(byte[].class).ofMaxSize(2))
                .as(Entry::new);
        return entry.list().ofMaxSize(8);
    }

    @Test
    void higherSeqWins() {
        Entry old = Entry.create(1, "old".getBytes());
        Entry newer = old.assign("new".getBytes());
        EntryMerge.Result r = EntryMerge.merge(List.of(old), List.of(newer));
        assertThat(r.merged()).containsExactly(newer);
        assertThat(r.changed()).containsExactly(newer);

        EntryMerge.Result back = EntryMerge.merge(List.of(newer), List.of(old));
        assertThat(back.merged()).containsExactly(newer);
        assertThat(back.changed()).isEmpty();
    }

    @Test
    void equalSeqTieBreaksOnFlagsThenUnsignedContent() {
        Entry low = new Entry(1, 2, 0, new byte[] {0x7f});
        Entry high = new Entry(1, 2, 0, new byte[] {(byte) 0x80}); // 0x80 > 0x7f unsigned
        assertThat(EntryMerge.winner(low, high)).isEqualTo(high);
        assertThat(EntryMerge.winner(high, low)).isEqualTo(high);

        Entry tombstone = new Entry(1, 2, Entry.FLAG_DELETED, new byte[0]);
        assertThat(EntryMerge.winner(high, tombstone)).isEqualTo(tombstone);

        Entry prefix = new Entry(1, 2, 0, new byte[] {1});
        Entry longer = new Entry(1, 2, 0, new byte[] {1, 0});
        assertThat(EntryMerge.winner(prefix, longer)).isEqualTo(longer);
    }

    @Test
    void deletionSpreadsAndNewRemoteEntriesAreReported() {
        Entry a = Entry.create(1, "a".getBytes());
        Entry b = Entry.create(2, "b".getBytes());
        Entry c = Entry.create(3, "c".getBytes());
        EntryMerge.Result r = EntryMerge.merge(List.of(c, a), List.of(a.delete(), b));
        assertThat(r.merged()).containsExactly(a.delete(), b, c);
        assertThat(r.changed()).containsExactly(a.delete(), b);
    }
}
