package dev.scout.node;

import dev.scout.app.IncomingMessage;
import dev.scout.app.OutgoingMessage;
import dev.scout.app.ReadMark;
import dev.scout.app.ReceivedMessage;
import dev.scout.core.RecordEntry;
import dev.scout.core.message.MessageId;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.ScoutException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The in-memory store keeps the same promises as the SQLite one: chained outboxes, read marks, unique contacts. */
class InMemoryStoreTest {
    private final InMemoryStore store = new InMemoryStore(Ed25519KeyPair.generate());

    @Test
    void pushOutgoingChainsEachMessageOntoTheHead() {
        store.addContact("bob", Ed25519KeyPair.generate().publicKey());
        assertThat(store.outboxHead("bob")).isEqualTo(MessageId.END);
        OutgoingMessage first = store.pushOutgoing("bob", "one".getBytes(StandardCharsets.UTF_8));
        OutgoingMessage second = store.pushOutgoing("bob", "two".getBytes(StandardCharsets.UTF_8));
        assertThat(first.next()).isEqualTo(MessageId.END);
        assertThat(second.next()).isEqualTo(first.id());
        assertThat(store.outboxHead("bob")).isEqualTo(second.id());
        assertThat(store.undelivered()).containsExactly(first, second);
        assertThat(store.markDelivered("bob", first.id())).isEqualTo(1);
        assertThat(store.undelivered()).extracting(OutgoingMessage::id).containsExactly(second.id());
        assertThat(store.markDelivered("bob", second.id())).isEqualTo(1);
        assertThat(store.undelivered()).isEmpty();
    }

    @Test
    void receivedMessagesAreRecordedOnceFetchingIsNotReadingAndReadMarksNeverMoveBack() {
        store.addContact("bob", Ed25519KeyPair.generate().publicKey());
        MessageId a = MessageId.ofValue("a".getBytes(StandardCharsets.UTF_8));
        MessageId b = MessageId.ofValue("b".getBytes(StandardCharsets.UTF_8));
        Instant t = Instant.ofEpochMilli(1_000);
        List<ReceivedMessage> added = store.addReceived("bob",
                List.of(new IncomingMessage(5, a, "a", t), new IncomingMessage(5, b, "b", t)), List.of());
        assertThat(added).extracting(ReceivedMessage::text).containsExactly("a", "b");
        assertThat(store.addReceived("bob", List.of(new IncomingMessage(5, a, "a", t)), List.of())).isEmpty();
        store.addReceived("bob", List.of(), List.of(new ReadMark(5, b)));
        assertThat(store.fetchMarks("bob")).containsExactly(new ReadMark(5, b));
        assertThat(store.readMarks("bob")).as("fetched is not read").isEmpty();
        store.markRead("bob", List.of(new ReadMark(5, b)));
        store.markRead("bob", List.of(new ReadMark(5, a))); // older: ignored
        assertThat(store.readMarks("bob")).containsExactly(new ReadMark(5, b));
    }

    @Test
    void contactNamesAreUniqueCaseInsensitivelyAndRemovalForgetsEverything() {
        var key = Ed25519KeyPair.generate().publicKey();
        store.addContact("Bob", key);
        assertThatThrownBy(() -> store.addContact("bob", Ed25519KeyPair.generate().publicKey()))
                .isInstanceOf(ScoutException.class).hasMessageContaining("exists");
        assertThatThrownBy(() -> store.addContact("robert", key)).isInstanceOf(ScoutException.class);
        store.replaceEntries("bob", List.of(RecordEntry.of(2, new byte[] {2}), RecordEntry.of(1, new byte[] {1})));
        assertThat(store.entries("Bob")).extracting(RecordEntry::id).containsExactly(1L, 2L);
        store.removeContact("BOB");
        assertThat(store.contacts()).isEmpty();
        assertThatThrownBy(() -> store.entries("bob")).isInstanceOf(ScoutException.class);
        store.addContact("bob", key);
        assertThat(store.entries("bob")).isEmpty();
    }
}
