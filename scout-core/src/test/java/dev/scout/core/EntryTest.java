package dev.scout.core;

import dev.scout.dht.LimitExceededException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EntryTest {

    @Test
    void createAssignDelete() {
        RecordEntry e = RecordEntry.of(9, new byte[] {1});
        assertThat(e.seq()).isEqualTo(1);
        assertThat(e.isDeleted()).isFalse();

        RecordEntry assigned = e.assign(new byte[] {2, 3});
        assertThat(assigned).isEqualTo(new RecordEntry(9, 2, 0, new byte[] {2, 3}));

        RecordEntry deleted = assigned.delete();
        assertThat(deleted).isEqualTo(new RecordEntry(9, 3, RecordEntry.FLAG_DELETED, new byte[0]));
        assertThat(deleted.isDeleted()).isTrue();

        RecordEntry revived = deleted.assign(new byte[] {4});
        assertThat(revived.isDeleted()).isFalse();
        assertThat(revived.seq()).isEqualTo(4);
    }

    @Test
    void unknownFlagsSurviveAssignAndDelete() {
        RecordEntry e = new RecordEntry(1, 1, 0x8000, new byte[0]);
        assertThat(e.delete().flags()).isEqualTo(0x8001);
        assertThat(e.delete().assign(new byte[0]).flags()).isEqualTo(0x8000);
    }

    @Test
    void contentIsCopiedBothWays() {
        byte[] content = {1, 2};
        RecordEntry e = RecordEntry.of(1, content);
        content[0] = 9;
        e.content()[1] = 9;
        assertThat(e.content()).containsExactly(1, 2);
    }

    @Test
    void unsignedIdRangeIsEnforced() {
        assertThat(RecordEntry.of(RecordEntry.MAX_ID, new byte[0]).id()).isEqualTo(4294967295L);
        assertThatThrownBy(() -> RecordEntry.of(-1, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecordEntry.of(RecordEntry.MAX_ID + 1, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RecordEntry(1, 1, 0x10000, new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void contentOver255BytesIsRejected() {
        assertThat(RecordEntry.of(1, new byte[255]).contentLength()).isEqualTo(255);
        assertThatThrownBy(() -> RecordEntry.of(1, new byte[256]))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("256 bytes");
        assertThatThrownBy(() -> RecordEntry.of(1, new byte[0]).assign(new byte[256]))
                .isInstanceOf(LimitExceededException.class);
    }

    @Test
    void seqCannotOverflow() {
        RecordEntry last = new RecordEntry(1, Long.MAX_VALUE, 0, new byte[0]);
        assertThatThrownBy(last::delete).isInstanceOf(LimitExceededException.class);
    }

    @Test
    void equalityIsByValueAndToStringHidesContent() {
        assertThat(RecordEntry.of(1, new byte[] {7})).isEqualTo(RecordEntry.of(1, new byte[] {7}))
                .hasSameHashCodeAs(RecordEntry.of(1, new byte[] {7}))
                .isNotEqualTo(RecordEntry.of(1, new byte[] {8}));
        assertThat(RecordEntry.of(1, "secret".getBytes()).toString()).doesNotContain("secret").contains("6 bytes");
    }
}
