package dev.scout.core;

import dev.scout.dht.Ed25519PublicKey;

import dev.scout.dht.LimitExceededException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scout.dht.Ed25519KeyPair;
import dev.scout.core.crypto.PairKeys;
import dev.scout.dht.Dht;
import dev.scout.dht.NodeId;
import dev.scout.dht.PutConflictException;
import dev.scout.dht.PutResult;
import dev.scout.dht.bencode.Bencode;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.MutableItem;
import dev.scout.dht.storage.StoredItem;
import dev.scout.dht.transport.SimDht;
import dev.scout.dht.transport.SimNetwork;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Synchronize on a 60-node simulated DHT: merging, conflicts and retries, and tampered records. */
class SynchronizerTest {

    static final long MAX = 600_000;
    static SimNetwork net;
    static int nextNode;

    PairKeys aliceSide;
    PairKeys bobSide;
    final Random random = new Random(42);

    @BeforeAll
    static void network() {
        net = Sim.network(60, 4242);
    }

    @BeforeEach
    void pair() {
        Ed25519KeyPair alice = Ed25519KeyPair.generate();
        Ed25519KeyPair bob = Ed25519KeyPair.generate();
        aliceSide = PairKeys.derive(alice, bob.publicKey());
        bobSide = PairKeys.derive(bob, alice.publicKey());
    }

    /** A device on its own node, pausing in virtual time. */
    Synchronizer device(SyncPolicy policy) {
        int node = nextNode++ % net.size();
        return device(new SimDht(net, node), node, policy);
    }

    Synchronizer device(Dht dht, int node, SyncPolicy policy) {
        return new Synchronizer(dht, Sim.delayer(net, node), policy, random);
    }

    Synchronizer device() {
        return device(SyncPolicy.DEFAULT);
    }

    static RecordEntry entry(long id, String text) {
        return RecordEntry.of(id, text.getBytes(StandardCharsets.UTF_8));
    }

    <T> T await(CompletableFuture<T> f) {
        return Sim.await(net, f, MAX);
    }

    Throwable failure(CompletableFuture<?> f) {
        return Sim.awaitFailure(net, f, MAX);
    }

    /** Records every callback. */
    static final class Recorder implements SyncListener {
        final List<RecordEntry> updated = new ArrayList<>();
        final List<List<RecordEntry>> finalized = new ArrayList<>();
        final List<SyncResult> finished = new ArrayList<>();
        final List<Throwable> failed = new ArrayList<>();

        @Override
        public void entryUpdated(RecordEntry entry) {
            updated.add(entry);
        }

        @Override
        public List<RecordEntry> finalizeEntries(List<RecordEntry> merged) {
            finalized.add(merged);
            return merged;
        }

        @Override
        public void finished(SyncResult result) {
            finished.add(result);
        }

        @Override
        public void failed(Throwable error) {
            failed.add(error);
        }
    }

    // ---- merging ------------------------------------------------------------------------------

    @Test
    void firstWriteCreatesTheRecordAndThePeerMergesIt() {
        Recorder first = new Recorder();
        SyncResult created = await(device().synchronize(aliceSide, List.of(entry(1, "alice laptop")), first));
        assertThat(created.seq()).isEqualTo(1);
        assertThat(created.attempts()).isEqualTo(1);
        assertThat(created.storedNodes()).isPositive();
        assertThat(created.updated()).isEmpty();
        assertThat(first.finished).containsExactly(created);
        assertThat(first.failed).isEmpty();

        Recorder second = new Recorder();
        SyncResult merged = await(device().synchronize(bobSide, List.of(entry(2, "bob phone")), second));
        assertThat(merged.seq()).isEqualTo(2);
        assertThat(second.updated).containsExactly(entry(1, "alice laptop"));
        assertThat(merged.updated()).containsExactly(entry(1, "alice laptop"));
        assertThat(merged.entries()).containsExactly(entry(1, "alice laptop"), entry(2, "bob phone"));

        RecordItem read = await(device().read(aliceSide, new byte[0])).orElseThrow();
        assertThat(read.seq()).isEqualTo(2);
        assertThat(read.entries()).containsExactlyElementsOf(merged.entries());
    }

    @Test
    void anUpdateNotCarriedForwardIsWrittenNotLost() {
        Synchronizer device = device();
        await(device.synchronize(aliceSide, List.of(entry(1, "10.0.0.1:6881")), SyncListener.NONE));
        // The same call again with a new address, not assign()ed from the stored version: both seq 1.
        SyncResult second = await(device.synchronize(aliceSide, List.of(entry(1, "10.0.0.2:6881")), SyncListener.NONE));
        assertThat(second.entries()).extracting(e -> new String(e.content(), StandardCharsets.UTF_8))
                .containsExactly("10.0.0.2:6881");
        assertThat(second.entries().get(0).seq()).isEqualTo(2);
        RecordItem read = await(device().read(bobSide, new byte[0])).orElseThrow();
        assertThat(read.entries()).containsExactlyElementsOf(second.entries());
        // An older copy (lower seq) still loses: carrying forward a stale entry changes nothing.
        SyncResult stale = await(device.synchronize(aliceSide, List.of(entry(1, "10.0.0.1:6881")), SyncListener.NONE));
        assertThat(stale.entries()).containsExactlyElementsOf(second.entries());
    }

    @Test
    void higherEntrySeqWinsAndEqualSeqIsResolvedTheSameEverywhere() {
        RecordEntry base = entry(5, "v1");
        await(device().synchronize(aliceSide, List.of(base), SyncListener.NONE));
        // Both sides assign from the same version: equal seq, different content.
        RecordEntry fromAlice = base.assign("alice".getBytes(StandardCharsets.UTF_8));
        RecordEntry fromBob = base.assign("bob".getBytes(StandardCharsets.UTF_8));
        SyncResult a = await(device().synchronize(aliceSide, List.of(fromAlice), SyncListener.NONE));
        SyncResult b = await(device().synchronize(bobSide, List.of(fromBob), SyncListener.NONE));
        assertThat(a.entries()).containsExactly(fromAlice);
        // Bob's version has the seq of the stored one but other content: an update, written as the next
        // version rather than left to the tie-break (which would drop one of them silently).
        RecordEntry winner = new RecordEntry(5, fromBob.seq() + 1, 0, "bob".getBytes(StandardCharsets.UTF_8));
        assertThat(b.entries()).containsExactly(winner);
        SyncResult again = await(device().synchronize(aliceSide, List.of(fromAlice), SyncListener.NONE));
        assertThat(again.entries()).as("an older copy loses").containsExactly(winner);

        RecordEntry newer = winner.delete();
        await(device().synchronize(bobSide, List.of(newer), SyncListener.NONE));
        Recorder r = new Recorder();
        SyncResult afterDelete = await(device().synchronize(aliceSide, List.of(winner), r));
        assertThat(afterDelete.entries()).containsExactly(newer);
        assertThat(r.updated).containsExactly(newer);
    }

    @Test
    void finalizeEntriesDecidesWhatIsWritten() {
        await(device().synchronize(aliceSide, List.of(entry(1, "a")), SyncListener.NONE));
        SyncListener addsOne = new SyncListener() {
            @Override
            public List<RecordEntry> finalizeEntries(List<RecordEntry> merged) {
                List<RecordEntry> out = new ArrayList<>(merged);
                out.add(entry(9, "added while finalizing"));
                return out;
            }
        };
        SyncResult r = await(device().synchronize(bobSide, List.of(), addsOne));
        assertThat(r.entries()).containsExactly(entry(1, "a"), entry(9, "added while finalizing"));
        RecordItem read = await(device().read(aliceSide, new byte[0])).orElseThrow();
        assertThat(read.entries()).containsExactlyElementsOf(r.entries());
    }

    @Test
    void saltSeparatesRecordsOfOnePair() {
        byte[] app = "chat".getBytes(StandardCharsets.UTF_8);
        await(device().synchronize(aliceSide, List.of(entry(1, "plain")), SyncListener.NONE));
        await(device().synchronize(aliceSide, app, List.of(entry(2, "chat")), SyncListener.NONE));
        assertThat(await(device().read(bobSide, new byte[0])).orElseThrow().entries()).containsExactly(entry(1, "plain"));
        assertThat(await(device().read(bobSide, app)).orElseThrow().entries()).containsExactly(entry(2, "chat"));
    }

    @Test
    void entriesThatDoNotFitFailBeforeAnythingIsWritten() {
        List<RecordEntry> tooMany = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            tooMany.add(entry(i, "0123456789"));
        }
        Recorder r = new Recorder();
        assertThat(failure(device().synchronize(aliceSide, tooMany, r))).isInstanceOf(LimitExceededException.class);
        assertThat(r.failed).singleElement().isInstanceOf(LimitExceededException.class);
        assertThat(await(device().read(aliceSide, new byte[0]))).isEmpty();
        assertThatThrownBy(() -> device().synchronize(aliceSide, new byte[65], List.of(), SyncListener.NONE))
                .isInstanceOf(LimitExceededException.class);
    }

    @Test
    void aRecordOfTheLargestSizeIsStoredAsA1000ByteValue() {
        // 2 + 4 × 16 header bytes + 890 content bytes = 956 bytes of plaintext, the most allowed.
        List<RecordEntry> largest = List.of(new RecordEntry(1, 1, 0, new byte[255]), new RecordEntry(2, 1, 0, new byte[255]),
                new RecordEntry(3, 1, 0, new byte[255]), new RecordEntry(4, 1, 0, new byte[125]));
        SyncResult r = await(device().synchronize(aliceSide, largest, SyncListener.NONE));
        assertThat(r.item().value()).hasSize(1000);
        assertThat(await(device().read(bobSide, new byte[0])).orElseThrow().entries()).containsExactlyElementsOf(largest);

        List<RecordEntry> oneMore = List.of(largest.get(0), largest.get(1), largest.get(2), new RecordEntry(4, 2, 0, new byte[126]));
        assertThat(failure(device().synchronize(aliceSide, oneMore, SyncListener.NONE)))
                .isInstanceOf(LimitExceededException.class);
    }

    @Test
    void listenerExceptionsFailTheSynchronize() {
        await(device().synchronize(aliceSide, List.of(entry(1, "a")), SyncListener.NONE));
        IllegalStateException boom = new IllegalStateException("boom");
        SyncListener throwing = new SyncListener() {
            @Override
            public void entryUpdated(RecordEntry entry) {
                throw boom;
            }
        };
        assertThat(failure(device().synchronize(bobSide, List.of(), throwing))).isSameAs(boom);
    }

    // ---- concurrent writers -------------------------------------------------------------------

    /**
     * Lets {@code interference} run to completion right before each of the first {@code times}
     * puts, so the put carries a seq/cas that is already stale.
     */
    static final class InterferingDht extends ForwardingDht {
        final Supplier<CompletableFuture<?>> interference;
        int remaining;
        int puts;

        InterferingDht(Dht delegate, int times, Supplier<CompletableFuture<?>> interference) {
            super(delegate);
            this.remaining = times;
            this.interference = interference;
        }

        @Override
        protected CompletableFuture<PutResult> putMutableItem(MutableItem item, Long cas) {
            puts++;
            if (remaining-- > 0) {
                return interference.get().thenCompose(x -> super.putMutableItem(item, cas));
            }
            return super.putMutableItem(item, cas);
        }
    }

    /** The first write carries cas 0, so a record written meanwhile refuses it (301; 302 without cas). */
    @Test
    void aStaleFirstWriteIsRefusedAndRetried() {
        Synchronizer other = device();
        int node = nextNode++;
        InterferingDht dht = new InterferingDht(new SimDht(net, node), 1,
                () -> other.synchronize(bobSide, List.of(entry(2, "bob was first")), SyncListener.NONE));
        Recorder r = new Recorder();
        SyncResult result = await(device(dht, node, SyncPolicy.DEFAULT)
                .synchronize(aliceSide, List.of(entry(1, "alice")), r));
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(dht.puts).isEqualTo(2);
        assertThat(result.seq()).isEqualTo(2);
        assertThat(r.updated).containsExactly(entry(2, "bob was first"));
        assertThat(r.finalized).hasSize(2);
        assertThat(result.entries()).containsExactly(entry(1, "alice"), entry(2, "bob was first"));
    }

    @Test
    void aCasMismatchIsRetriedAndKeepsTheCallersEdits() {
        await(device().synchronize(aliceSide, List.of(entry(1, "a")), SyncListener.NONE));
        Synchronizer other = device();
        int node = nextNode++;
        InterferingDht dht = new InterferingDht(new SimDht(net, node), 1,
                () -> other.synchronize(bobSide, List.of(entry(3, "bob")), SyncListener.NONE));
        // finalize adds an entry on every attempt's merged list; the retry must still write it once.
        SyncListener finalizer = new SyncListener() {
            @Override
            public List<RecordEntry> finalizeEntries(List<RecordEntry> merged) {
                if (merged.stream().anyMatch(e -> e.id() == 4)) {
                    return merged;
                }
                List<RecordEntry> out = new ArrayList<>(merged);
                out.add(entry(4, "edited in finalize"));
                return out;
            }
        };
        SyncResult result = await(device(dht, node, SyncPolicy.DEFAULT)
                .synchronize(aliceSide, List.of(entry(1, "a"), entry(2, "alice")), finalizer));
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(result.seq()).isEqualTo(3);
        assertThat(result.entries()).containsExactly(entry(1, "a"), entry(2, "alice"), entry(3, "bob"),
                entry(4, "edited in finalize"));
    }

    @Test
    void losingEveryAttemptFailsWithSyncConflictException() {
        Synchronizer other = device();
        int[] n = {0};
        int node = nextNode++;
        InterferingDht dht = new InterferingDht(new SimDht(net, node), Integer.MAX_VALUE,
                () -> other.synchronize(bobSide, List.of(entry(100 + n[0]++, "bob")), SyncListener.NONE));
        Recorder r = new Recorder();
        Throwable error = failure(device(dht, node, new SyncPolicy(3, 50, 200))
                .synchronize(aliceSide, List.of(entry(1, "alice")), r));
        assertThat(error).isInstanceOf(SyncConflictException.class);
        SyncConflictException conflict = (SyncConflictException) error;
        assertThat(conflict.attempts()).isEqualTo(3);
        assertThat(conflict.lastConflict()).isInstanceOf(PutConflictException.class);
        assertThat(dht.puts).as("three writes, plus re-stores healing 301s").isGreaterThanOrEqualTo(3);
        assertThat(r.failed).containsExactly(error);
        assertThat(r.finished).isEmpty();
    }

    // ---- tampered records ---------------------------------------------------------------------

    /** Writes {@code item} over the record (cas = the current seq) so the next read returns it. */
    void overwrite(MutableItem item) {
        Dht dht = new SimDht(net, nextNode++ % net.size());
        Long cas = await(dht.getMutable(item.publicKey(), item.salt())).map(MutableItem::seq).orElse(null);
        assertThat(await(cas == null ? dht.putMutable(item) : dht.putMutable(item, cas)).stored()).isPositive();
    }

    @Test
    void aFlippedByteInTheValueIsADecryptionError() {
        SyncResult written = await(device().synchronize(aliceSide, List.of(entry(1, "a")), SyncListener.NONE));
        byte[] v = written.item().value();
        v[v.length - 5] ^= 0x01; // inside the ciphertext; still a valid byte string
        MutableItem tampered = MutableItem.sign(RecordItem.signer(aliceSide), new byte[0], 2, v);
        overwrite(tampered);

        Recorder r = new Recorder();
        Throwable error = failure(device().synchronize(bobSide, List.of(entry(2, "b")), r));
        assertThat(error).isInstanceOf(RecordDecryptionException.class);
        assertThat(((RecordDecryptionException) error).seq()).isEqualTo(2);
        assertThat(r.failed).containsExactly(error);
        assertThat(r.updated).isEmpty();
        // Nothing was written over it.
        Optional<MutableItem> still = await(new SimDht(net, 0).getMutable(tampered.publicKey(), new byte[0]));
        assertThat(still.orElseThrow().seq()).isEqualTo(2);
        assertThat(still.get().value()).isEqualTo(v);
    }

    @Test
    void aRecordSealedWithAnotherPairsKeyIsADecryptionError() {
        PairKeys otherPair = PairKeys.derive(Ed25519KeyPair.generate(), Ed25519KeyPair.generate().publicKey());
        byte[] v = Bencode.encode(ContactRecord.seal(otherPair, List.of(entry(1, "not for you"))));
        overwrite(MutableItem.sign(RecordItem.signer(aliceSide), new byte[0], 1, v));
        Throwable error = failure(device().synchronize(aliceSide, List.of(), SyncListener.NONE));
        assertThat(error).isInstanceOf(RecordDecryptionException.class).hasMessageContaining("does not decrypt");
    }

    @Test
    void aValueThatIsNotAByteStringIsReported() {
        overwrite(MutableItem.sign(RecordItem.signer(aliceSide), new byte[0], 1, Bencode.encode(42L)));
        assertThat(failure(device().synchronize(aliceSide, List.of(), SyncListener.NONE)))
                .isInstanceOf(RecordDecryptionException.class);
    }

    @Test
    void anItemSignedByAnotherKeyOrWithABadSignatureIsRejected() {
        // The real DHT drops such items; a Dht implementation that does not is still caught.
        byte[] v = Bencode.encode(ContactRecord.seal(aliceSide, List.of(entry(1, "forged"))));
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        MutableItem wrongKey = MutableItem.sign(Ed25519KeyPair.ofSeed(seed), new byte[0], 7, v);
        Synchronizer sync = new Synchronizer(new FixedRecordDht(wrongKey), Delayer.immediate(), SyncPolicy.DEFAULT, random);
        assertThat(sync.synchronize(aliceSide, List.of(), SyncListener.NONE))
                .failsWithin(java.time.Duration.ZERO).withThrowableOfType(Exception.class)
                .havingCause().isInstanceOf(RecordDecryptionException.class).withMessageContaining("another key");

        MutableItem good = MutableItem.sign(RecordItem.signer(aliceSide), new byte[0], 7, v);
        byte[] otherV = Bencode.encode(ContactRecord.seal(aliceSide, List.of(entry(1, "swapped"))));
        MutableItem badSignature = new MutableItem(good.publicKey(), new byte[0], 7, otherV, good.signature());
        sync = new Synchronizer(new FixedRecordDht(badSignature), Delayer.immediate(), SyncPolicy.DEFAULT, random);
        assertThat(sync.synchronize(aliceSide, List.of(), SyncListener.NONE))
                .failsWithin(java.time.Duration.ZERO).withThrowableOfType(Exception.class)
                .havingCause().isInstanceOf(RecordDecryptionException.class).withMessageContaining("signature");
    }

    @Test
    void aReplayedOlderSeqOnSomeNodesLosesToTheNewestAndIsHealed() {
        NodeId target = NodeId.of(aliceSide.recordTarget());
        List<Integer> byDistance = new ArrayList<>();
        for (int i = 0; i < net.size(); i++) {
            byDistance.add(i);
        }
        byDistance.sort((x, y) -> target.compareDistance(net.node(x).ownId(), net.node(y).ownId()));
        // Write from nodes far from the record, so every write targets the same 8 closest nodes
        // (a node never stores its own write, which would shift the set by one).
        List<Integer> far = byDistance.subList(20, 24);
        Synchronizer[] devices = new Synchronizer[far.size()];
        for (int d = 0; d < devices.length; d++) {
            devices[d] = device(new SimDht(net, far.get(d)), far.get(d), SyncPolicy.DEFAULT);
        }
        List<Integer> closest = byDistance.subList(0, 8);

        SyncResult first = await(devices[0].synchronize(aliceSide, List.of(entry(1, "old")), SyncListener.NONE));
        SyncResult second = await(devices[1].synchronize(aliceSide,
                List.of(entry(1, "old").assign("new".getBytes(StandardCharsets.UTF_8))), SyncListener.NONE));
        assertThat(second.item().target()).isEqualTo(target);
        for (int i : closest) {
            assertThat(seqAt(i, target)).as("node %d", i).isEqualTo(2);
        }
        // Replay the seq-1 item onto half of them (as a stale or malicious node would hold it).
        List<Integer> replayed = closest.subList(0, 4);
        for (int i : replayed) {
            net.node(i).itemStore().put(new StoredItem(target, null, first.item(), net.now(), 1),
                    net.address(0).getAddress(), net.now());
            assertThat(seqAt(i, target)).isEqualTo(1);
        }

        RecordItem read = await(devices[2].read(bobSide, new byte[0])).orElseThrow();
        assertThat(read.seq()).isEqualTo(2);
        assertThat(read.entries()).containsExactlyElementsOf(second.entries());

        // The replayed nodes refuse a put with cas 2 (301); the retry heals them and then succeeds.
        Recorder r = new Recorder();
        SyncResult third = await(devices[3].synchronize(bobSide, List.of(entry(2, "bob")), r));
        assertThat(third.attempts()).isEqualTo(2);
        assertThat(third.seq()).isEqualTo(4);
        assertThat(third.entries()).containsExactly(second.entries().get(0), entry(2, "bob"));
        assertThat(r.updated).containsExactly(second.entries().get(0));
        for (int i : closest) {
            assertThat(seqAt(i, target)).as("node %d", i).isEqualTo(third.seq());
        }
    }

    /**
     * Two writers raced to the same seq and the storing nodes disagree (half hold each version, as after
     * a lost packet): synchronize merges both versions, so neither writer's update is lost.
     */
    @Test
    void versionsThatDivergedAtTheSameSeqAreBothMerged() {
        RecordItem fromAlice = RecordItem.seal(aliceSide, new byte[0], 7, List.of(entry(1, "alice's update")));
        RecordItem fromBob = RecordItem.seal(bobSide, new byte[0], 7, List.of(entry(2, "bob's update")));
        NodeId target = fromAlice.item().target();
        for (int i = 0; i < net.size(); i++) {
            MutableItem held = i % 2 == 0 ? fromAlice.item() : fromBob.item();
            net.onNode(i, n -> n.itemStore().put(new StoredItem(target, null, held, net.now(), 1),
                    net.address(0).getAddress(), net.now()));
        }
        Recorder r = new Recorder();
        SyncResult result = await(device().synchronize(aliceSide, List.of(entry(3, "local")), r));
        assertThat(result.seq()).isEqualTo(8);
        assertThat(result.entries()).extracting(RecordEntry::id).containsExactly(1L, 2L, 3L);
        assertThat(r.updated).extracting(RecordEntry::id).containsExactlyInAnyOrder(1L, 2L);
    }

    long seqAt(int node, NodeId target) {
        return net.node(node).itemStore().get(target, net.now()).orElseThrow().mutable().seq();
    }

    // ---- test doubles -------------------------------------------------------------------------

    /** A Dht whose record lookups always return one fixed item. */
    static final class FixedRecordDht extends ForwardingDht {
        final MutableItem item;

        FixedRecordDht(MutableItem item) {
            super(null);
            this.item = item;
        }

        @Override
        public CompletableFuture<Optional<MutableItem>> getMutable(Ed25519PublicKey publicKey, byte[] salt) {
            return CompletableFuture.completedFuture(Optional.of(item));
        }

        @Override
        public CompletableFuture<List<MutableItem>> getMutableVersions(Ed25519PublicKey publicKey, byte[] salt) {
            return CompletableFuture.completedFuture(List.of(item));
        }
    }
}
