package dev.scout.core;

import dev.scout.dht.ImmutableItem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scout.dht.Ed25519KeyPair;
import dev.scout.core.crypto.PairKeys;
import dev.scout.core.message.ListHead;
import dev.scout.core.message.ListToken;
import dev.scout.core.message.MessageId;
import dev.scout.core.message.MessageSeal;
import dev.scout.core.message.StoredMessage;
import dev.scout.dht.Dht;
import dev.scout.dht.DhtConfig;
import dev.scout.dht.udp.DhtNode;
import dev.scout.dht.PutResult;
import dev.scout.dht.MutableItem;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Alice and Bob on real UDP sockets (127.0.0.1): synchronize, a message, keep-alive. */
class DhtClientTest {

    static final List<DhtNode> nodes = new ArrayList<>();
    static final Duration KEEP_ALIVE = Duration.ofMillis(300);

    DhtClient alice;
    DhtClient bob;
    CountingDht bobDht;
    ManualScheduler bobTimers;
    PairKeys aliceSide;
    PairKeys bobSide;

    static DhtConfig.Builder loopback() {
        return DhtConfig.builder().bindAddress(new InetSocketAddress("127.0.0.1", 0)).bootstrap(List.of())
                .requestTimeoutMillis(2_000);
    }

    static String seed() {
        return "127.0.0.1:" + nodes.get(0).localAddress().getPort();
    }

    @BeforeAll
    static void startNetwork() throws Exception {
        nodes.add(DhtNode.start(loopback().build()));
        for (int i = 1; i < 8; i++) {
            nodes.add(DhtNode.start(loopback().bootstrap(List.of(seed())).build()));
        }
        for (int i = 1; i < nodes.size(); i++) {
            nodes.get(i).bootstrapped().get(20, TimeUnit.SECONDS);
        }
        for (DhtNode n : nodes) {
            n.findNode(n.id()).get(20, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopNetwork() {
        nodes.forEach(DhtNode::close);
    }

    /** Counts re-stores (puts without cas) going through it. */
    static final class CountingDht extends ForwardingDht {
        final AtomicInteger mutableRestores = new AtomicInteger();
        final AtomicInteger immutablePuts = new AtomicInteger();

        CountingDht(Dht delegate) {
            super(delegate);
        }

        @Override
        protected CompletableFuture<PutResult> putMutableItem(MutableItem item, Long cas) {
            if (cas == null) {
                mutableRestores.incrementAndGet();
            }
            return super.putMutableItem(item, cas);
        }

        @Override
        public CompletableFuture<PutResult> putImmutable(ImmutableItem item) {
            immutablePuts.incrementAndGet();
            return super.putImmutable(item);
        }
    }

    @BeforeEach
    void sessions() throws Exception {
        // Alice runs her own node; Bob shares one of the network's nodes.
        alice = DhtClient.builder().keepAliveInterval(KEEP_ALIVE).start(loopback().bootstrap(List.of(seed())).build());
        alice.bootstrapped().get(20, TimeUnit.SECONDS);
        bobDht = new CountingDht(nodes.get(4));
        // Bob's keep-alive fires only when the test says so: no refresh ever races a write.
        bobTimers = new ManualScheduler();
        bob = DhtClient.builder().keepAliveInterval(KEEP_ALIVE).keepAliveScheduler(bobTimers).over(bobDht);
        Ed25519KeyPair a = Ed25519KeyPair.generate();
        Ed25519KeyPair b = Ed25519KeyPair.generate();
        aliceSide = PairKeys.derive(a, b.publicKey());
        bobSide = PairKeys.derive(b, a.publicKey());
    }

    @AfterEach
    void close() {
        alice.close();
        bob.close();
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    @Test
    void aliceAndBobSynchronizeAndExchangeAMessage() throws Exception {
        SyncResult first = get(alice.synchronize(aliceSide, List.of(RecordEntry.of(1, text("alice at 203.0.113.7:4000"))),
                SyncListener.NONE));
        assertThat(first.storedNodes()).isPositive();

        ListHead bobHead = new ListHead();
        ListToken token = bobHead.pushFront(MessageSeal.seal(bobSide, text("hello alice")));
        assertThat(get(bob.putMessage(token)).stored()).isPositive();

        List<RecordEntry> seenByBob = Collections.synchronizedList(new ArrayList<>());
        SyncResult bobResult = get(bob.synchronize(bobSide, List.of(RecordEntry.of(2, bobHead.head().bytes())),
                new SyncListener() {
                    @Override
                    public void entryUpdated(RecordEntry entry) {
                        seenByBob.add(entry);
                    }
                }));
        assertThat(seenByBob).containsExactly(first.entries().get(0));
        assertThat(bobResult.seq()).isEqualTo(first.seq() + 1);

        List<RecordEntry> seenByAlice = Collections.synchronizedList(new ArrayList<>());
        List<String> callbackThreads = Collections.synchronizedList(new ArrayList<>());
        get(alice.synchronize(aliceSide, first.entries(), new SyncListener() {
            @Override
            public void entryUpdated(RecordEntry entry) {
                seenByAlice.add(entry);
                callbackThreads.add(Thread.currentThread().getName());
            }
        }));
        assertThat(seenByAlice).hasSize(1);
        assertThat(callbackThreads).allSatisfy(name -> assertThat(name).doesNotStartWith("dht-loop"));

        MessageId head = MessageId.of(seenByAlice.get(0).content());
        List<StoredMessage> inbox = get(alice.walkMessages(head, MessageId.END, 10));
        assertThat(inbox).hasSize(1);
        assertThat(MessageSeal.open(aliceSide, inbox.get(0).message())).isEqualTo(text("hello alice"));
    }

    /** Fires Bob's due keep-alive timers now and waits for {@code r}'s refresh; it must succeed. */
    PutResult refresh(KeepAlive.Registration r) throws Exception {
        CompletableFuture<PutResult> done = r.nextRefresh();
        assertThat(bobTimers.runDue()).as("a keep-alive timer was due").isPositive();
        return get(done);
    }

    @Test
    void keepAliveReStoresRegisteredItemsUntilUnregistered() throws Exception {
        SyncResult written = get(bob.synchronize(bobSide, List.of(RecordEntry.of(1, text("bob"))), SyncListener.NONE));
        ListToken token = new ListHead().pushFront(text("kept"));
        get(bob.putMessage(token));
        int restoresBefore = bobDht.mutableRestores.get();
        int immutableBefore = bobDht.immutablePuts.get();

        KeepAlive.Registration record = bob.keepAlive(written.item());
        KeepAlive.Registration message = bob.keepAlive(token);
        assertThat(bob.keepAliveRegistrations()).hasSize(2);
        assertThat(bobTimers.pendingCount()).isEqualTo(2);

        CompletableFuture<PutResult> messageRefresh = message.nextRefresh();
        PutResult firstRefresh = refresh(record);
        assertThat(get(messageRefresh).stored()).isPositive();
        PutResult secondRefresh = refresh(record);
        assertThat(firstRefresh.stored()).isPositive();
        assertThat(secondRefresh.stored()).isPositive();
        assertThat(record.refreshCount()).isEqualTo(2);
        assertThat(bobDht.mutableRestores.get() - restoresBefore).isEqualTo(2);
        assertThat(bobDht.immutablePuts.get() - immutableBefore).isGreaterThanOrEqualTo(1);

        // A newer version written by Bob's own session becomes the one kept alive at once.
        SyncResult bobNewer = get(bob.synchronize(bobSide, written.entries(), SyncListener.NONE));
        assertThat(record.item().orElseThrow().seq()).isEqualTo(bobNewer.seq());

        // A newer version written elsewhere (Alice): the next refresh re-puts Bob's version, the
        // nodes holding Alice's answer 302, and the refresh adopts hers instead of failing. (A
        // refresh whose read missed her version still succeeds; the next one reads again.)
        SyncResult aliceNewer = get(alice.synchronize(aliceSide, List.of(RecordEntry.of(2, text("alice"))),
                SyncListener.NONE));
        for (int i = 0; i < 5 && record.item().orElseThrow().seq() < aliceNewer.seq(); i++) {
            assertThat(KeepAlive.alive(refresh(record))).isPositive();
        }
        assertThat(record.item().orElseThrow().seq()).isEqualTo(aliceNewer.seq());
        assertThat(record.failureCount()).isZero();
        // Kept alive at her version from now on: a plain re-store the nodes accept.
        assertThat(refresh(record).stored()).isPositive();

        assertThat(bob.unregister(record.target())).isTrue();
        assertThat(bob.unregister(record.target())).isFalse();
        assertThat(record.isActive()).isFalse();
        assertThatThrownBy(() -> record.nextRefresh().get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(CancellationException.class);
        message.cancel();
        assertThat(message.isActive()).isFalse();
        assertThat(bob.keepAliveRegistrations()).isEmpty();
    }

    @Test
    void closingASessionStopsOnlyWhatItOwns() throws Exception {
        alice.close();
        assertThatThrownBy(() -> alice.synchronize(aliceSide, List.of(), SyncListener.NONE))
                .isInstanceOf(IllegalStateException.class);
        assertThat(alice.dht().ping(nodes.get(1).localAddress())).failsWithin(Duration.ofSeconds(5));
        bob.close();
        // Bob's session did not own its node.
        assertThat(nodes.get(4).ping(nodes.get(1).localAddress()).get(10, TimeUnit.SECONDS))
                .isEqualTo(nodes.get(1).id());
    }
}
