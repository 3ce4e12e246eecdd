package dev.scout.core;

import dev.scout.dht.FormatException;
import dev.scout.dht.LimitExceededException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

class EntryVectorTest {

    @Property
    void roundTrips(@ForAll("fittingEntryLists") List<RecordEntry> entries) {
        byte[] encoded = EntryVector.encode(entries);
        assertThat(encoded).hasSize(EntryVector.encodedSize(entries));
        assertThat(EntryVector.decode(encoded)).isEqualTo(entries);
    }

    @Property
    void randomBytesOnlyEverFailWithFormatException(@ForAll @Size(max = 1100) byte[] garbage) {
        try {
            EntryVector.decode(garbage);
        } catch (FormatException expected) {
            assertThat(expected.getMessage()).contains("truncated");
        }
    }

    @Property(tries = 200)
    void truncatedVectorsFailWithFormatException(@ForAll("fittingEntryLists") List<RecordEntry> entries) {
        byte[] encoded = EntryVector.encode(entries);
        // The count field promises every entry, so any strict prefix is truncated.
        for (int cut = 0; cut < encoded.length; cut++) {
            byte[] prefix = java.util.Arrays.copyOf(encoded, cut);
            assertThatThrownBy(() -> EntryVector.decode(prefix)).isInstanceOf(FormatException.class);
        }
    }

    @Property
    void mutatedVectorsDecodeOrFailWithFormatException(@ForAll("fittingEntryLists") List<RecordEntry> entries,
                                                       @ForAll int position, @ForAll byte value) {
        // Random bytes rarely get past the header; mutating a valid vector reaches the entry parser.
        byte[] encoded = EntryVector.encode(entries);
        encoded[Math.floorMod(position, encoded.length)] = value;
        try {
            EntryVector.decode(encoded);
        } catch (FormatException expected) {
            assertThat(expected.getMessage()).contains("truncated");
        }
    }

    @Provide
    Arbitrary<List<RecordEntry>> fittingEntryLists() {
        Arbitrary<RecordEntry> entry = Combinators.combine(
                        Arbitraries.longs().between(0, RecordEntry.MAX_ID),
                        Arbitraries.longs(),
                        Arbitraries.integers().between(0, 0xFFFF),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(60))
                .as(RecordEntry::new);
        return entry.list().ofMaxSize(14).uniqueElements(RecordEntry::id);
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
