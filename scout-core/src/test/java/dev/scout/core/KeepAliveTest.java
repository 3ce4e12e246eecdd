package dev.scout.core;

import dev.scout.dht.ImmutableItem;
import dev.scout.dht.Ed25519PublicKey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scout.dht.DhtException;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.NodeId;
import dev.scout.dht.PutConflictException;
import dev.scout.dht.PutResult;
import dev.scout.dht.bencode.Bencode;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.MutableItem;
import dev.scout.dht.StoreOutcome;
import java.util.OptionalLong;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** KeepAlive against a scripted Dht, on a fast interval. */
class KeepAliveTest {

    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final Random random = new Random(3);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    KeepAlive keepAlive(ForwardingDht dht) {
        return new KeepAlive(dht, scheduler, Duration.ofMillis(20), 0.5, random);
    }

    static PutResult stored(int nodes) {
        return new PutResult(NodeId.random(), null, nodes, List.of());
    }

    static MutableItem item(Ed25519KeyPair signer, long seq) {
        return MutableItem.sign(signer, new byte[0], seq, Bencode.encode(Bencode.bytes("v" + seq)));
    }

    static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    /** A put the test answers: the keep-alive waits for it, so each refresh is observed in order. */
    record Call(MutableItem item, byte[] value, CompletableFuture<PutResult> result) {
    }

    /** Hands every put to the test through a queue. */
    static final class ScriptedDht extends ForwardingDht {
        final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
        volatile MutableItem current;
        volatile Throwable readError;

        ScriptedDht() {
            super(null);
        }

        @Override
        public CompletableFuture<PutResult> putImmutable(ImmutableItem item) {
            Call c = new Call(null, item.value(), new CompletableFuture<>());
            calls.add(c);
            return c.result();
        }

        @Override
        protected CompletableFuture<PutResult> putMutableItem(MutableItem item, Long cas) {
            assertThat(cas).as("re-stores carry no cas").isNull();
            Call c = new Call(item, null, new CompletableFuture<>());
            calls.add(c);
            return c.result();
        }

        @Override
        public CompletableFuture<Optional<MutableItem>> getMutable(Ed25519PublicKey publicKey, byte[] salt) {
            if (readError != null) {
                return CompletableFuture.failedFuture(readError);
            }
            return CompletableFuture.completedFuture(Optional.ofNullable(current));
        }

        @Override
        public CompletableFuture<List<MutableItem>> getMutableVersions(Ed25519PublicKey publicKey, byte[] salt) {
            return getMutable(publicKey, salt).thenApply(found -> found.map(List::of).orElse(List.of()));
        }

        Call next() throws InterruptedException {
            Call c = calls.poll(10, TimeUnit.SECONDS);
            assertThat(c).as("a re-store was started").isNotNull();
            return c;
        }
    }

    @Test
    void immutableValuesAreStoredAgainEveryInterval() throws Exception {
        ScriptedDht dht = new ScriptedDht();
        KeepAlive keepAlive = keepAlive(dht);
        byte[] value = Bencode.encode(Bencode.bytes("hello"));
        KeepAlive.Registration r = keepAlive.register(value);
        for (int i = 1; i <= 3; i++) {
            Call call = dht.next();
            assertThat(call.value()).isEqualTo(value);
            CompletableFuture<PutResult> refreshed = r.nextRefresh();
            call.result().complete(stored(i));
            assertThat(get(refreshed).stored()).isEqualTo(i);
            assertThat(r.refreshCount()).isEqualTo(i);
        }
        assertThat(r.lastResult().orElseThrow().stored()).isEqualTo(3);
        keepAlive.close();
        assertThat(r.isActive()).isFalse();
        assertThat(keepAlive.registrations()).isEmpty();
        assertThatThrownBy(() -> keepAlive.register(Bencode.encode(1L))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void failuresAreCountedAndRefreshingContinues() throws Exception {
        ScriptedDht dht = new ScriptedDht();
        KeepAlive keepAlive = keepAlive(dht);
        KeepAlive.Registration r = keepAlive.register(Bencode.encode(Bencode.bytes("x")));

        Call first = dht.next();
        CompletableFuture<PutResult> failed = r.nextRefresh();
        first.result().completeExceptionally(new DhtException("network down"));
        assertThatThrownBy(() -> get(failed)).isInstanceOf(ExecutionException.class).hasRootCauseMessage("network down");
        assertThat(r.lastError()).containsInstanceOf(DhtException.class);

        Call second = dht.next();
        CompletableFuture<PutResult> nowhere = r.nextRefresh();
        second.result().complete(stored(0));
        assertThatThrownBy(() -> get(nowhere)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("reached no node");

        Call third = dht.next();
        CompletableFuture<PutResult> ok = r.nextRefresh();
        third.result().complete(stored(1));
        assertThat(get(ok).stored()).isEqualTo(1);
        assertThat(r.failureCount()).isEqualTo(2);
        assertThat(r.refreshCount()).isEqualTo(1);
        assertThat(r.lastError()).isEmpty();
        keepAlive.close();
    }

    @Test
    void aMutableItemIsReStoredUnchangedAndANewerVersionIsAdopted() throws Exception {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        Ed25519KeyPair signer = Ed25519KeyPair.ofSeed(seed);
        MutableItem v1 = item(signer, 1);
        MutableItem v2 = item(signer, 2);
        ScriptedDht dht = new ScriptedDht();
        KeepAlive keepAlive = keepAlive(dht);
        KeepAlive.Registration r = keepAlive.register(v1);

        Call first = dht.next();
        assertThat(first.item()).isEqualTo(v1);
        CompletableFuture<PutResult> refreshed = r.nextRefresh();
        first.result().complete(stored(2));
        get(refreshed);
        assertThat(r.item()).contains(v1);

        // Someone wrote seq 2 meanwhile: the node refuses seq 1 (302), seq 2 is read and kept alive.
        dht.current = v2;
        Call second = dht.next();
        assertThat(second.item()).isEqualTo(v1);
        CompletableFuture<PutResult> adopted = r.nextRefresh();
        second.result().completeExceptionally(new PutConflictException(PutConflictException.SEQ_NOT_NEWER, stored(0)));
        Call third = dht.next();
        assertThat(third.item()).isEqualTo(v2);
        third.result().complete(stored(2));
        assertThat(get(adopted).stored()).isEqualTo(2);
        assertThat(r.item()).contains(v2);

        // An older offer is ignored, a newer one is taken.
        keepAlive.offer(v1);
        assertThat(r.item()).contains(v2);
        MutableItem v5 = item(signer, 5);
        keepAlive.offer(v5);
        assertThat(r.item()).contains(v5);

        // Registering the same target again replaces the registration.
        KeepAlive.Registration again = keepAlive.register(v2);
        assertThat(r.isActive()).isFalse();
        assertThatThrownBy(() -> get(r.nextRefresh())).hasCauseInstanceOf(CancellationException.class);
        assertThat(keepAlive.registration(v2.target())).contains(again);
        keepAlive.close();
    }

    /** What a put of a stale version gets from a node holding a newer one. */
    static PutConflictException seqTooOld() {
        NodeInfo node = new NodeInfo(NodeId.random(), new InetSocketAddress("192.0.2.1", 6881));
        return new PutConflictException(PutConflictException.SEQ_NOT_NEWER, new PutResult(NodeId.random(), OptionalLong.empty(), 0,
                List.of(new StoreOutcome(node, false, PutConflictException.SEQ_NOT_NEWER, "seq too old"))));
    }

    Ed25519KeyPair randomSigner() {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        return Ed25519KeyPair.ofSeed(seed);
    }

    @Test
    void meetingANewerVersionThatCannotBeReadYetIsNotAFailure() throws Exception {
        Ed25519KeyPair signer = randomSigner();
        MutableItem v1 = item(signer, 1);
        ScriptedDht dht = new ScriptedDht();
        KeepAlive keepAlive = keepAlive(dht);
        KeepAlive.Registration r = keepAlive.register(v1);

        // The node holds a newer version, but the read (other nodes, or a writer still storing)
        // returns only seq 1: the record is alive on the refusing node; nothing failed.
        dht.current = v1;
        Call first = dht.next();
        CompletableFuture<PutResult> refreshed = r.nextRefresh();
        first.result().completeExceptionally(seqTooOld());
        PutResult result = get(refreshed);
        assertThat(result.stored()).isZero();
        assertThat(KeepAlive.alive(result)).isEqualTo(1);
        assertThat(r.failureCount()).isZero();
        assertThat(r.refreshCount()).isEqualTo(1);
        assertThat(r.item()).contains(v1);
        assertThat(dht.calls).as("no second put when nothing newer was read").isEmpty();
        keepAlive.close();
    }

    @Test
    void successivelyNewerVersionsAreAdoptedInOneRefresh() throws Exception {
        Ed25519KeyPair signer = randomSigner();
        MutableItem v1 = item(signer, 1);
        MutableItem v2 = item(signer, 2);
        MutableItem v3 = item(signer, 3);
        ScriptedDht dht = new ScriptedDht();
        KeepAlive keepAlive = keepAlive(dht);
        KeepAlive.Registration r = keepAlive.register(v1);

        dht.current = v2;
        Call first = dht.next();
        CompletableFuture<PutResult> refreshed = r.nextRefresh();
        first.result().completeExceptionally(seqTooOld());
        Call second = dht.next();
        assertThat(second.item()).isEqualTo(v2);
        // Between the read and the put of seq 2, someone wrote seq 3.
        dht.current = v3;
        second.result().completeExceptionally(seqTooOld());
        Call third = dht.next();
        assertThat(third.item()).isEqualTo(v3);
        third.result().complete(stored(4));
        assertThat(get(refreshed).stored()).isEqualTo(4);
        assertThat(r.item()).contains(v3);
        assertThat(r.failureCount()).isZero();

        // A read that fails after a conflict does not fail the refresh either.
        dht.readError = new DhtException("read failed");
        Call fourth = dht.next();
        CompletableFuture<PutResult> again = r.nextRefresh();
        fourth.result().completeExceptionally(seqTooOld());
        assertThat(KeepAlive.alive(get(again))).isEqualTo(1);
        assertThat(r.failureCount()).isZero();
        keepAlive.close();
    }

    @Test
    void badSettingsAndItemsAreRefused() {
        ForwardingDht dht = new ForwardingDht(null);
        assertThatThrownBy(() -> new KeepAlive(dht, scheduler, Duration.ZERO, 0.1, random))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KeepAlive(dht, scheduler, Duration.ofMinutes(1), 1.0, random))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] seed = new byte[32];
        MutableItem good = item(Ed25519KeyPair.ofSeed(seed), 1);
        MutableItem forged = new MutableItem(good.publicKey(), new byte[0], 2, good.value(), good.signature());
        try (KeepAlive keepAlive = keepAlive(dht)) {
            assertThatThrownBy(() -> keepAlive.register(forged)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void anOwnedSchedulerThreadStopsOnClose() throws Exception {
        KeepAlive keepAlive = KeepAlive.start(new ForwardingDht(null), Duration.ofHours(1));
        assertThat(keepAlive.interval()).isEqualTo(Duration.ofHours(1));
        KeepAlive.Registration r = keepAlive.register(Bencode.encode(Bencode.bytes("x")));
        keepAlive.close();
        assertThat(r.isActive()).isFalse();
        assertThat(Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("scout-keepalive") && t.isAlive())
                .allMatch(t -> {
                    try {
                        t.join(5_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return !t.isAlive();
                })).isTrue();
    }
}
