package dev.scout.core.message;

import dev.scout.dht.ImmutableItem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scout.dht.FormatException;
import dev.scout.core.ForwardingDht;
import dev.scout.core.Sim;
import dev.scout.dht.DhtException;
import dev.scout.dht.NodeId;
import dev.scout.dht.PutResult;
import dev.scout.dht.bencode.Bencode;
import dev.scout.dht.transport.SimDht;
import dev.scout.dht.transport.SimNetwork;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Offline message lists on a 60-node simulated DHT. */
class MessageListTest {

    static final long MAX = 600_000;
    static SimNetwork net;

    @BeforeAll
    static void network() {
        net = Sim.network(60, 777);
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Pushes {@code count} messages ("message 1" oldest) and stores all but {@code skip} (1-based; 0 = none). */
    static List<ListToken> storeList(MessageList writer, String tag, int count, int skip) {
        ListHead head = new ListHead();
        List<ListToken> tokens = new ArrayList<>();
        List<CompletableFuture<PutResult>> puts = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            ListToken token = head.pushFront(text(tag + " message " + i));
            tokens.add(token);
            if (i != skip) {
                puts.add(writer.put(token));
            }
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new));
        Sim.await(net, all, MAX);
        for (CompletableFuture<PutResult> put : puts) {
            assertThat(put.join().stored()).isPositive();
        }
        return tokens;
    }

    @Test
    void aHundredMessagesWalkFromHeadToEndNewestFirst() {
        List<ListToken> tokens = storeList(new MessageList(new SimDht(net, 1)), "full", 100, 0);
        MessageList reader = new MessageList(new SimDht(net, 30));
        MessageId head = tokens.get(99).id();

        List<StoredMessage> all = Sim.await(net, reader.walk(head, MessageId.END, 1000), MAX);
        assertThat(all).hasSize(100);
        for (int k = 0; k < 100; k++) {
            int number = 100 - k;
            StoredMessage m = all.get(k);
            assertThat(m.id()).isEqualTo(tokens.get(number - 1).id());
            assertThat(m.message()).isEqualTo(text("full message " + number));
            assertThat(m.next()).isEqualTo(number == 1 ? MessageId.END : tokens.get(number - 2).id());
        }

        // Stop before a message already read, and at a maximum.
        List<StoredMessage> newer = Sim.await(net, reader.walk(head, tokens.get(89).id(), 1000), MAX);
        assertThat(newer).extracting(StoredMessage::id)
                .containsExactlyElementsOf(List.of(tokens.get(99).id(), tokens.get(98).id(), tokens.get(97).id(),
                        tokens.get(96).id(), tokens.get(95).id(), tokens.get(94).id(), tokens.get(93).id(),
                        tokens.get(92).id(), tokens.get(91).id(), tokens.get(90).id()));
        assertThat(Sim.await(net, reader.walk(head, null, 3), MAX)).hasSize(3);
        assertThat(Sim.await(net, reader.walk(MessageId.END, null, 10), MAX)).isEmpty();
    }

    @Test
    void aMissingMiddleMessageIsReportedWithWhatWasRead() {
        List<ListToken> tokens = storeList(new MessageList(new SimDht(net, 2)), "gap", 100, 50);
        MessageList reader = new MessageList(new SimDht(net, 40));

        Throwable error = Sim.awaitFailure(net, reader.walk(tokens.get(99).id(), MessageId.END, 1000), MAX);
        assertThat(error).isInstanceOf(MissingMessageException.class);
        MissingMessageException missing = (MissingMessageException) error;
        assertThat(missing.missing()).isEqualTo(tokens.get(49).id());
        assertThat(missing.readCount()).isEqualTo(50);
        assertThat(missing.read().get(0).message()).isEqualTo(text("gap message 100"));
        assertThat(missing.read().get(49).message()).isEqualTo(text("gap message 51"));
        assertThat(missing).hasMessageContaining(tokens.get(49).id().toHex());

        assertThat(Sim.await(net, reader.get(tokens.get(49).id()), MAX)).isEmpty();
        // Walking on from the message after the gap still works.
        assertThat(Sim.await(net, reader.walk(tokens.get(48).id(), null, 1000), MAX)).hasSize(49);
    }

    @Test
    void getReturnsTheMessageAndItsLink() {
        MessageList list = new MessageList(new SimDht(net, 3));
        ListHead head = new ListHead();
        ListToken first = head.pushFront(text("first"));
        ListToken second = head.pushFront(new byte[MessageBlob.MAX_MESSAGE_BYTES]);
        Sim.await(net, list.put(first), MAX);
        Sim.await(net, list.put(second), MAX);

        StoredMessage got = Sim.await(net, new MessageList(new SimDht(net, 50)).get(second.id()), MAX).orElseThrow();
        assertThat(got.message()).hasSize(MessageBlob.MAX_MESSAGE_BYTES);
        assertThat(got.next()).isEqualTo(first.id());
        assertThatThrownBy(() -> list.get(MessageId.END)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aValueThatDoesNotHashToItsIdIsRejected() {
        ListToken token = new ListHead().pushFront(text("real"));
        byte[] forged = Bencode.encode(new MessageBlob(MessageId.END, text("forged")).encode());
        MessageList list = new MessageList(new ForwardingDht(null) {
            @Override
            public CompletableFuture<Optional<ImmutableItem>> getImmutable(NodeId target) {
                return CompletableFuture.completedFuture(Optional.of(ImmutableItem.ofBencoded(forged)));
            }
        });
        assertThat(list.get(token.id())).failsWithin(Duration.ZERO).withThrowableOfType(Exception.class)
                .havingCause().isInstanceOf(FormatException.class).withMessageContaining("does not hash");
        assertThat(list.walk(token.id(), null, 10)).failsWithin(Duration.ZERO).withThrowableOfType(Exception.class)
                .havingCause().isInstanceOf(FormatException.class);
    }

    @Test
    void aPutThatReachesNoNodeFails() {
        MessageList list = new MessageList(new ForwardingDht(null) {
            @Override
            public CompletableFuture<PutResult> putImmutable(ImmutableItem item) {
                return CompletableFuture.completedFuture(new PutResult(NodeId.random(), OptionalLong.empty(), 0, List.of()));
            }
        });
        assertThat(list.put(new ListHead().pushFront(text("x")))).failsWithin(Duration.ZERO)
                .withThrowableOfType(Exception.class).havingCause().isInstanceOf(DhtException.class);
    }
}
