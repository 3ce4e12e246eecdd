package dev.scout.core;

import dev.scout.testkit.RandomCases;

import dev.scout.dht.FormatException;
import dev.scout.dht.LimitExceededException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

class EntryVectorTest {

    /** The empty vector, and the largest entry of the largest list that always fits. */
    private static final List<List<RecordEntry>> FIXED_LISTS = List.of(List.of(),
            List.of(new RecordEntry(RecordEntry.MAX_ID, Long.MIN_VALUE, 0xFFFF, new byte[60])),
            List.of(new RecordEntry(0, Long.MAX_VALUE, 0, new byte[0]), new RecordEntry(1, -1, 1, new byte[] {-1})));

    private record Mutation(List<RecordEntry> entries, int position, byte value) {
    }

    @Test
    void roundTrips() {
        RandomCases.forAll(FIXED_LISTS, 1000, EntryVectorTest::fittingEntryList, entries -> {
            byte[] encoded = EntryVector.encode(entries);
            assertThat(encoded).hasSize(EntryVector.encodedSize(entries));
            assertThat(EntryVector.decode(encoded)).isEqualTo(entries);
        });
    }

    @Test
    void randomBytesOnlyEverFailWithFormatException() {
        RandomCases.forAll(List.of(new byte[0], new byte[1100]), 1000, r -> RandomCases.bytes(r, 0, 1100), garbage -> {
            try {
                EntryVector.decode(garbage);
            } catch (FormatException expected) {
                assertThat(expected.getMessage()).contains("truncated");
            }
        });
    }

    @Test
    void truncatedVectorsFailWithFormatException() {
        RandomCases.forAll(FIXED_LISTS, 200, EntryVectorTest::fittingEntryList, entries -> {
            byte[] encoded = EntryVector.encode(entries);
            // The count field promises every entry, so any strict prefix is truncated.
            for (int cut = 0; cut < encoded.length; cut++) {
                byte[] prefix = java.util.Arrays.copyOf(encoded, cut);
                assertThatThrownBy(() -> EntryVector.decode(prefix)).as("prefix of %d bytes", cut)
                        .isInstanceOf(FormatException.class);
            }
        });
    }

    @Test
    void mutatedVectorsDecodeOrFailWithFormatException() {
        List<Mutation> fixed = FIXED_LISTS.stream().flatMap(l -> java.util.stream.Stream.of(
                new Mutation(l, 0, (byte) -1), new Mutation(l, 1, (byte) -1), new Mutation(l, -1, Byte.MIN_VALUE),
                new Mutation(l, Integer.MAX_VALUE, (byte) 0), new Mutation(l, Integer.MIN_VALUE, Byte.MAX_VALUE))).toList();
        RandomCases.forAll(fixed, 1000,
                r -> new Mutation(fittingEntryList(r), RandomCases.ints(r), RandomCases.anyByte(r)), c -> {
                    // Random bytes rarely get past the header; mutating a valid vector reaches the entry parser.
                    byte[] encoded = EntryVector.encode(c.entries());
                    encoded[Math.floorMod(c.position(), encoded.length)] = c.value();
                    try {
                        EntryVector.decode(encoded);
                    } catch (FormatException expected) {
                        assertThat(expected.getMessage()).contains("truncated");
                    }
                });
    }

    /** Up to 14 entries with distinct ids and up to 60 bytes of content each, within the plaintext limit. */
    private static List<RecordEntry> fittingEntryList(Random r) {
        int size = r.nextInt(8) == 0 ? 0 : r.nextInt(8) == 0 ? 14 : 1 + r.nextInt(14);
        List<RecordEntry> entries = new ArrayList<>(size);
        Set<Long> ids = new HashSet<>();
        while (entries.size() < size) {
            long id = RandomCases.longs(r, 0, RecordEntry.MAX_ID);
            if (ids.add(id)) {
                entries.add(new RecordEntry(id, RandomCases.longs(r), RandomCases.ints(r, 0, 0xFFFF),
                        RandomCases.bytes(r, 0, 60)));
                if (EntryVector.encodedSize(entries) > EntryVector.MAX_PLAINTEXT_BYTES) {
                    entries.remove(entries.size() - 1); // stays within the limit (rare: 14 near-full entries)
                    break;
                }
            }
        }
        return entries;
    }

    @Test
    void offsetsAreSkipped() {
        // vector offset 2 (bytes aa bb), entry offset 1 (byte cc) before the content "hi"
        byte[] bytes = Hex.decode("0102aabb" + "0000000000000005" + "00000009" + "8000" + "02" + "01" + "cc" + "6869");
        assertThat(EntryVector.decode(bytes)).containsExactly(new RecordEntry(9, 5, 0x8000, "hi".getBytes()));
    }

    @Test
    void trailingBytesAreIgnored() {
        byte[] bytes = Hex.decode("0000" + "ffff");
        assertThat(EntryVector.decode(bytes)).isEmpty();
    }

    @Test
    void truncationIsReportedClearly() {
        assertThatThrownBy(() -> EntryVector.decode(new byte[0]))
                .isInstanceOf(FormatException.class).hasMessageContaining("entry vector truncated");
        assertThatThrownBy(() -> EntryVector.decode(Hex.decode("01ff")))
                .isInstanceOf(FormatException.class).hasMessageContaining("255 bytes to skip");
        assertThatThrownBy(() -> EntryVector.decode(Hex.decode("0100" + "00000000000000010000000100000500" + "6869")))
                .isInstanceOf(FormatException.class).hasMessageContaining("needed 5 bytes");
    }

    @Test
    void moreThan255EntriesAreRejected() {
        List<RecordEntry> entries = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            entries.add(RecordEntry.of(i, new byte[0]));
        }
        // The count is checked before the size, so the error names the real problem.
        assertThatThrownBy(() -> EntryVector.encode(entries))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("256 entries");
    }

    @Test
    void plaintextLimitIs956Bytes() {
        // 3 entries with 255-byte content = 2 + 3 * 271 = 815; a fourth entry of n bytes adds 16 + n.
        List<RecordEntry> entries = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            entries.add(RecordEntry.of(i, new byte[255]));
        }
        entries.add(RecordEntry.of(3, new byte[956 - 815 - 16]));
        assertThat(EntryVector.encode(entries)).hasSize(956);

        entries.set(3, RecordEntry.of(3, new byte[956 - 815 - 16 + 1]));
        assertThatThrownBy(() -> EntryVector.encode(entries))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("957 bytes");
    }

    @Test
    void duplicateIdsAreNotEncoded() {
        assertThatThrownBy(() -> EntryVector.encode(List.of(RecordEntry.of(1, new byte[0]), RecordEntry.of(1, new byte[1]))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate entry id 1");
    }
}
