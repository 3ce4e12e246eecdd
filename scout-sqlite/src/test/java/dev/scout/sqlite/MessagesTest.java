package dev.scout.sqlite;

import dev.scout.sqlite.error.StateException;
import dev.scout.sqlite.error.UnknownMessageException;
import dev.scout.app.ReadMark;
import dev.scout.app.IncomingMessage;
import dev.scout.app.ReceivedMessage;
import dev.scout.app.OutgoingMessage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scout.dht.LimitExceededException;
import dev.scout.core.message.ListHead;
import dev.scout.core.message.ListToken;
import dev.scout.core.message.MessageBlob;
import dev.scout.core.message.MessageId;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outgoing message chains, delivery, received messages and read marks. */
class MessagesTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    @TempDir
    Path tmp;

    private TestClock clock;

    @BeforeEach
    void setUp() {
        clock = new TestClock(T0);
        try (StateStore store = open()) {
            store.addContact("bob", Keys.key(2));
            store.addContact("carol", Keys.key(3));
        }
    }

    private StateStore open() {
        return StateStore.open(tmp.resolve("state"), clock);
    }

    // ------------------------------------------------------------------------------------------ outgoing

    @Test
    void pushOutgoingChainsRecordsAndMovesTheHead() {
        List<OutgoingMessage> sent = new ArrayList<>();
        try (StateStore store = open()) {
            assertThat(store.outboxHead("bob")).isEqualTo(MessageId.END);
            for (int i = 0; i < 4; i++) {
                OutgoingMessage m = store.pushOutgoing("bob", ("message " + i).getBytes());
                clock.advance(Duration.ofMillis(1500));
                sent.add(m);
                assertThat(store.outboxHead("bob")).isEqualTo(m.id());
            }
        }
        try (StateStore store = open()) {
            assertThat(sent.get(0).next()).isEqualTo(MessageId.END);
            for (int i = 0; i < sent.size(); i++) {
                OutgoingMessage m = sent.get(i);
                assertThat(m.contact()).isEqualTo("bob");
                assertThat(m.createdAt()).isEqualTo(T0.plusMillis(1500L * i));
                assertThat(m.delivered()).isFalse();
                assertThat(MessageId.ofValue(m.value())).isEqualTo(m.id());
                MessageBlob blob = MessageBlob.parseBencodedValue(m.value());
                assertThat(blob.message()).isEqualTo(("message " + i).getBytes());
                assertThat(blob.next()).isEqualTo(m.next());
                if (i > 0) {
                    assertThat(m.next()).isEqualTo(sent.get(i - 1).id());
                }
            }
            assertThat(store.outboxHead("bob")).isEqualTo(sent.get(3).id());
            assertThat(store.outgoing("bob")).containsExactly(sent.get(3), sent.get(2), sent.get(1), sent.get(0));
            assertThat(store.undelivered()).containsExactlyElementsOf(sent);
            assertThat(store.outboxHead("carol")).isEqualTo(MessageId.END);
            assertThat(store.outgoing("carol")).isEmpty();
        }
    }

    @Test
    void recordSentIsACompareAndSetOnTheHead() {
        try (StateStore store = open()) {
            ListToken first = new ListHead(store.outboxHead("bob")).pushFront(new byte[] {1});
            OutgoingMessage recorded = store.recordSent("bob", first);
            assertThat(recorded.id()).isEqualTo(first.id());
            assertThat(recorded.value()).isEqualTo(first.value());
            assertThat(store.outboxHead("bob")).isEqualTo(first.id());

            ListToken stale = new ListHead(MessageId.END).pushFront(new byte[] {2});
            assertThatThrownBy(() -> store.recordSent("bob", stale)).isInstanceOf(StateException.class)
                    .hasMessageContaining("outbox of bob moved").hasMessageContaining("chain the message again");
            assertThatThrownBy(() -> store.recordSent("bob", first)).isInstanceOf(StateException.class);
            assertThat(store.outboxHead("bob")).isEqualTo(first.id());
            assertThat(store.outgoing("bob")).hasSize(1);

            ListToken forged = new ListToken(first.blob(), Keys.messageId(9), first.id());
            assertThatThrownBy(() -> store.recordSent("bob", forged)).isInstanceOf(IllegalArgumentException.class);

            ListToken second = new ListHead(store.outboxHead("bob")).pushFront(new byte[] {2});
            store.recordSent("bob", second);
            assertThat(store.outgoing("bob")).extracting(OutgoingMessage::id).containsExactly(second.id(), first.id());
        }
    }

    @Test
    void aMessageTooLongForABlobChangesNothing() {
        try (StateStore store = open()) {
            store.pushOutgoing("bob", new byte[MessageBlob.MAX_MESSAGE_BYTES]);
            MessageId head = store.outboxHead("bob");
            assertThatThrownBy(() -> store.pushOutgoing("bob", new byte[MessageBlob.MAX_MESSAGE_BYTES + 1]))
                    .isInstanceOf(LimitExceededException.class);
            assertThat(store.outboxHead("bob")).isEqualTo(head);
            assertThat(store.outgoing("bob")).hasSize(1);
        }
    }

    @Test
    void markDeliveredWalksTheChainDown() {
        try (StateStore store = open()) {
            List<OutgoingMessage> sent = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                sent.add(store.pushOutgoing("bob", new byte[] {(byte) i}));
            }
            OutgoingMessage toCarol = store.pushOutgoing("carol", new byte[] {42});

            assertThat(store.markDelivered("bob", sent.get(2).id())).isEqualTo(3);
            assertThat(store.undelivered("bob")).extracting(OutgoingMessage::id)
                    .containsExactly(sent.get(3).id(), sent.get(4).id());
            assertThat(store.markDelivered("bob", sent.get(2).id())).isZero();
            assertThat(store.markDelivered("bob", sent.get(1).id())).isZero();
            assertThat(store.markDelivered("bob", Keys.messageId(7))).isZero(); // not ours
            assertThat(store.markDelivered("bob", MessageId.END)).isZero();
            assertThat(store.markDelivered("bob", toCarol.id())).isZero(); // another contact's message

            assertThat(store.markDelivered("bob", sent.get(4).id())).isEqualTo(2);
            assertThat(store.undelivered("bob")).isEmpty();
            assertThat(store.outgoing("bob")).allMatch(OutgoingMessage::delivered);
            assertThat(store.undelivered()).containsExactly(toCarol);
        }
        try (StateStore store = open()) {
            assertThat(store.undelivered()).extracting(OutgoingMessage::contact).containsExactly("carol");
        }
    }

    // ------------------------------------------------------------------------------------------ received

    private static IncomingMessage in(int tag, int id, String text) {
        return new IncomingMessage(tag, Keys.messageId(id), text, T0.minusSeconds(100 - id));
    }

    @Test
    void receivedMessagesAreRecordedOnceInOrder() {
        try (StateStore store = open()) {
            List<ReceivedMessage> added = store.addReceived("bob", List.of(in(5, 1, "one"), in(5, 2, "two"),
                    in(6, 3, "three")), List.of());
            assertThat(added).extracting(ReceivedMessage::text).containsExactly("one", "two", "three");
            assertThat(added).allMatch(m -> !m.read() && m.receivedAt().equals(T0) && m.contact().equals("bob"));
            clock.advance(Duration.ofMinutes(1));
            List<ReceivedMessage> again = store.addReceived("bob", List.of(in(5, 2, "two"), in(5, 4, "four"),
                    in(5, 4, "four")), List.of());
            assertThat(again).extracting(ReceivedMessage::text).containsExactly("four");
            store.addReceived("carol", List.of(in(5, 1, "carol's one")), List.of());
        }
        try (StateStore store = open()) {
            List<ReceivedMessage> bob = store.received(ReceivedQuery.all().contact("bob"));
            assertThat(bob).extracting(ReceivedMessage::text).containsExactly("one", "two", "three", "four");
            assertThat(bob.get(0).id()).isEqualTo(Keys.messageId(1));
            assertThat(bob.get(0).deviceTag()).isEqualTo(5);
            assertThat(bob.get(0).sentAt()).isEqualTo(T0.minusSeconds(99));
            assertThat(bob.get(3).receivedAt()).isEqualTo(T0.plusSeconds(60));
            assertThat(bob).extracting(ReceivedMessage::seq).isSorted();
            assertThat(store.received(ReceivedQuery.all().since(T0.plusSeconds(60))))
                    .extracting(ReceivedMessage::text).containsExactly("four", "carol's one");
            assertThat(store.received(ReceivedQuery.all())).hasSize(5);
            assertThat(store.hasReceived("bob", Keys.messageId(4))).isTrue();
            assertThat(store.hasReceived("carol", Keys.messageId(4))).isFalse();
        }
    }

    @Test
    void readMarksArePerDeviceAndMarkEverythingUpToThem() {
        try (StateStore store = open()) {
            store.addReceived("bob", List.of(in(5, 1, "a"), in(6, 2, "b"), in(5, 3, "c"), in(5, 4, "d")), List.of());
            assertThat(store.readMarks("bob")).isEmpty();
            store.markRead("bob", List.of(new ReadMark(5, Keys.messageId(3))));
            assertThat(store.readMarks("bob")).containsExactly(new ReadMark(5, Keys.messageId(3)));
            assertThat(store.received(ReceivedQuery.all().contact("bob").unreadOnly()))
                    .extracting(ReceivedMessage::text).containsExactly("b", "d");

            // Never backwards.
            store.markRead("bob", List.of(new ReadMark(5, Keys.messageId(1))));
            assertThat(store.readMarks("bob")).containsExactly(new ReadMark(5, Keys.messageId(3)));

            store.markRead("bob", List.of(new ReadMark(6, Keys.messageId(2)), new ReadMark(5, Keys.messageId(4))));
            assertThat(store.readMarks("bob")).containsExactly(new ReadMark(5, Keys.messageId(4)),
                    new ReadMark(6, Keys.messageId(2)));
            assertThat(store.received(ReceivedQuery.all().unreadOnly())).isEmpty();
        }
        try (StateStore store = open()) {
            assertThat(store.readMarks("bob")).hasSize(2);
            assertThat(store.readMarks("carol")).isEmpty();
        }
    }

    @Test
    void fetchedMessagesStayUnreadUntilMarkedRead() {
        try (StateStore store = open()) {
            List<ReceivedMessage> added = store.addReceived("bob", List.of(in(5, 1, "a"), in(5, 2, "b"), in(7, 3, "c")),
                    List.of(new ReadMark(5, Keys.messageId(2))));
            // Fetching moved the fetch mark, not the read mark: everything is unread.
            assertThat(added).extracting(ReceivedMessage::read).containsExactly(false, false, false);
            assertThat(store.fetchMarks("bob")).containsExactly(new ReadMark(5, Keys.messageId(2)));
            assertThat(store.readMarks("bob")).isEmpty();
            assertThat(store.received(ReceivedQuery.all().unreadOnly())).hasSize(3);
            // Reading up to "b" (recording order) marks each device up to its last message at or before it.
            assertThat(store.marksUpTo("bob", Keys.messageId(2))).containsExactly(new ReadMark(5, Keys.messageId(2)));
            store.markRead("bob", store.marksUpTo("bob", Keys.messageId(2)));
            assertThat(store.received(ReceivedQuery.all().unreadOnly())).extracting(ReceivedMessage::text)
                    .containsExactly("c");
            assertThat(store.marksUpTo("bob", null)).containsExactly(new ReadMark(5, Keys.messageId(2)),
                    new ReadMark(7, Keys.messageId(3)));
            assertThatThrownBy(() -> store.marksUpTo("bob", Keys.messageId(9))).isInstanceOf(UnknownMessageException.class);
            // A mark for a message never recorded (e.g. read before this database existed) is kept as is.
            store.markRead("bob", List.of(new ReadMark(9, Keys.messageId(9))));
            assertThat(store.readMarks("bob")).contains(new ReadMark(9, Keys.messageId(9)));
        }
    }

    @Test
    void receivedMessagesComeInPagesAndById() {
        try (StateStore store = open()) {
            store.addReceived("bob", List.of(in(5, 1, "a"), in(5, 2, "b"), in(5, 3, "c")), List.of());
            List<ReceivedMessage> first = store.received(ReceivedQuery.all().page(0, 2));
            assertThat(first).extracting(ReceivedMessage::text).containsExactly("a", "b");
            assertThat(store.received(ReceivedQuery.all().page(first.get(1).seq(), 2))).extracting(ReceivedMessage::text)
                    .containsExactly("c");
            assertThat(store.received(ReceivedQuery.all().id(Keys.messageId(2)))).extracting(ReceivedMessage::text)
                    .containsExactly("b");
        }
    }
}
