package dev.scout.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scout.dht.LimitExceededException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListHeadTest {

    @Test
    void aReaderCanWalkFromTheHeadToTheEnd() {
        ListHead head = new ListHead();
        assertThat(head.isEmpty()).isTrue();
        Map<MessageId, byte[]> dht = new HashMap<>();
        for (String text : List.of("one", "two", "three")) {
            ListToken token = head.pushFront(text.getBytes(StandardCharsets.UTF_8));
            assertThat(MessageId.ofValue(token.value())).isEqualTo(token.id());
            dht.put(token.id(), token.value());
        }
        assertThat(head.isEmpty()).isFalse();

        StringBuilder walked = new StringBuilder();
        MessageId cursor = head.head();
        while (!cursor.isEnd()) {
            MessageBlob blob = MessageBlob.parseBencodedValue(dht.get(cursor));
            walked.append(new String(blob.message(), StandardCharsets.UTF_8)).append(' ');
            cursor = blob.next();
        }
        assertThat(walked.toString()).isEqualTo("three two one ");
    }

    @Test
    void restoredHeadContinuesTheList() {
        ListHead first = new ListHead();
        ListToken a = first.pushFront(new byte[] {1});
        ListHead restored = new ListHead(first.head());
        ListToken b = restored.pushFront(new byte[] {2});
        assertThat(b.next()).isEqualTo(a.id());
        assertThat(MessageBlob.parse(b.blob()).next()).isEqualTo(a.id());
    }

    @Test
    void tooLongMessageLeavesTheHeadUnchanged() {
        ListHead head = new ListHead();
        head.pushFront(new byte[] {1});
        MessageId before = head.head();
        assertThatThrownBy(() -> head.pushFront(new byte[974])).isInstanceOf(LimitExceededException.class);
        assertThat(head.head()).isEqualTo(before);
    }

    @Test
    void messageIdBasics() {
        assertThat(MessageId.END.isEnd()).isTrue();
        assertThat(MessageId.END.toHex()).isEqualTo("00".repeat(20));
        byte[] bytes = new byte[20];
        bytes[19] = 1;
        MessageId id = MessageId.of(bytes);
        bytes[19] = 2;
        assertThat(id.bytes()[19]).isEqualTo((byte) 1);
        assertThat(id.isEnd()).isFalse();
        assertThatThrownBy(() -> MessageId.of(new byte[19])).isInstanceOf(IllegalArgumentException.class);
    }
}
