package dev.scout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EntryTest {

    @Test
    void createAssignDelete() {
        Entry e = Entry.create(9, new byte[] {1});
        assertThat(e.seq()).isEqualTo(1);
        assertThat(e.isDeleted()).isFalse();

        Entry assigned = e.assign(new byte[] {2, 3});
        assertThat(assigned).isEqualTo(new Entry(9, 2, 0, new byte[] {2, 3}));

        Entry deleted = assigned.delete();
        assertThat(deleted).isEqualTo(new Entry(9, 3, Entry.FLAG_DELETED, new byte[0]));
        assertThat(deleted.isDeleted()).isTrue();

        Entry revived = deleted.assign(new byte[] {4});
        assertThat(revived.isDeleted()).isFalse();
        assertThat(revived.seq()).isEqualTo(4);
    }

    @Test
    void unknownFlagsSurviveAssignAndDelete() {
        Entry e = new Entry(1, 1, 0x8000, new byte[0]);
        assertThat(e.delete().flags()).isEqualTo(0x8001);
        assertThat(e.delete().assign(new byte[0]).flags()).isEqualTo(0x8000);
    }

    @Test
    void contentIsCopiedBothWays() {
        byte[] content = {1, 2};
        Entry e = Entry.create(1, content);
        content[0] = 9;
        e.content()[1] = 9;
        assertThat(e.content()).containsExactly(1, 2);
    }

    @Test
    void unsignedIdRangeIsEnforced() {
        assertThat(Entry.create(Entry.MAX_ID, new byte[0]).id()).isEqualTo(4294967295L);
        assertThatThrownBy(() -> Entry.create(-1, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Entry.create(Entry.MAX_ID + 1, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Entry(1, 1, 0x10000, new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void contentOver255BytesIsRejected() {
        assertThat(Entry.create(1, new byte[255]).contentLength()).isEqualTo(255);
        assertThatThrownBy(() -> Entry.create(1, new byte[256]))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("256 bytes");
        assertThatThrownBy(() -> Entry.create(1, new byte[0]).assign(new byte[256]))
                .isInstanceOf(LimitExceededException.class);
    }

    @Test
    void seqCannotOverflow() {
        Entry last = new Entry(1, Long.MAX_VALUE, 0, new byte[0]);
        assertThatThrownBy(last::delete).isInstanceOf(LimitExceededException.class);
    }

    @Test
    void equalityIsByValueAndToStringHidesContent() {
        assertThat(Entry.create(1, new byte[] {7})).isEqualTo(Entry.create(1, new byte[] {7}))
                .hasSameHashCodeAs(Entry.create(1, new byte[] {7}))
                .isNotEqualTo(Entry.create(1, new byte[] {8}));
        assertThat(Entry.create(1, "secret".getBytes()).toString()).doesNotContain("secret").contains("6 bytes");
    }
}
