package dev.scout.core;

import dev.scout.core.crypto.PairKeys;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.Ed25519PublicKey;
import dev.scout.dht.MutableItem;
import dev.scout.dht.PutConflictException;
import dev.scout.dht.PutResult;
import dev.scout.dht.StoreOutcome;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19, "IPv6-only homes": two daemons whose only public neighbours were four libtorrent nodes
 * wrote their pair's record for the first time at the same moment, and neither ever saw the other's
 * device. Cause: a first write carried no {@code cas}, and libtorrent's storage (node.cpp,
 * {@code incoming_request} "put") replaces an item of the <em>same</em> seq — it refuses only a lower
 * one (302) or a {@code cas} that does not match (301). Both writers' seq-1 puts were accepted; the
 * later one replaced the earlier on every node, and neither writer was told. Deterministic: both
 * reads answer "no record" before either put, against four stores with libtorrent's rules.
 */
class ConcurrentFirstWritesTest {
    private static final int CAS_MISMATCH = 301;
    private static final int SEQ_TOO_OLD = 302;

    /** Four storing nodes that apply libtorrent's put rules; reads are held until released. */
    static final class LibtorrentRules extends ForwardingDht {
        final List<Map<String, MutableItem>> nodes = new ArrayList<>();
        final List<Runnable> heldReads = new ArrayList<>();
        boolean holding = true;

        LibtorrentRules(int n) {
            super(null);
            for (int i = 0; i < n; i++) {
                nodes.add(new HashMap<>());
            }
        }

        void release() {
            holding = false;
            List<Runnable> reads = List.copyOf(heldReads);
            heldReads.clear();
            reads.forEach(Runnable::run);
        }

        @Override
        public CompletableFuture<List<MutableItem>> getMutableVersions(Ed25519PublicKey publicKey, byte[] salt) {
            CompletableFuture<List<MutableItem>> f = new CompletableFuture<>();
            List<MutableItem> now = versions(key(publicKey)); // what the nodes hold when asked
            Runnable read = () -> f.complete(now);
            if (holding) {
                heldReads.add(read);
            } else {
                read.run();
            }
            return f;
        }

        private List<MutableItem> versions(String key) {
            List<MutableItem> out = new ArrayList<>();
            for (Map<String, MutableItem> n : nodes) {
                MutableItem m = n.get(key);
                if (m != null && out.stream().noneMatch(o -> o.seq() == m.seq() && Arrays.equals(o.value(), m.value()))) {
                    out.add(m);
                }
            }
            out.sort(Comparator.comparingLong(MutableItem::seq).reversed());
            return out;
        }

        @Override
        public CompletableFuture<PutResult> putMutable(MutableItem item) {
            return put(item, null);
        }

        @Override
        public CompletableFuture<PutResult> putMutable(MutableItem item, long cas) {
            return put(item, cas);
        }

        private CompletableFuture<PutResult> put(MutableItem item, Long cas) {
            List<StoreOutcome> outcomes = new ArrayList<>();
            String key = key(item.publicKey());
            for (Map<String, MutableItem> n : nodes) {
                MutableItem old = n.get(key);
                if (old != null && cas != null && old.seq() != cas) {
                    outcomes.add(new StoreOutcome(null, false, CAS_MISMATCH, "CAS mismatch"));
                } else if (old != null && old.seq() > item.seq()) {
                    outcomes.add(new StoreOutcome(null, false, SEQ_TOO_OLD, "old sequence number"));
                } else {
                    n.put(key, item); // an equal seq replaces what was there
                    outcomes.add(new StoreOutcome(null, true, 0, null));
                }
            }
            PutResult r = new PutResult(item.target(), OptionalLong.of(item.seq()),
                    (int) outcomes.stream().filter(StoreOutcome::stored).count(), outcomes);
            for (StoreOutcome o : outcomes) {
                if (o.errorCode() == CAS_MISMATCH || o.errorCode() == SEQ_TOO_OLD) {
                    return CompletableFuture.failedFuture(new PutConflictException(o.errorCode(), r));
                }
            }
            return CompletableFuture.completedFuture(r);
        }

        private static String key(Ed25519PublicKey k) {
            return Arrays.toString(k.bytes());
        }
    }

    @Test
    void twoWritersWhoseFirstWritesCrossBothEndUpInTheRecord() {
        Ed25519KeyPair alice = Ed25519KeyPair.generate();
        Ed25519KeyPair bob = Ed25519KeyPair.generate();
        PairKeys aliceSide = PairKeys.derive(alice, bob.publicKey());
        PairKeys bobSide = PairKeys.derive(bob, alice.publicKey());
        LibtorrentRules dht = new LibtorrentRules(4);
        Synchronizer a = new Synchronizer(dht, Delayer.immediate(), SyncPolicy.DEFAULT, new Random(1));
        Synchronizer b = new Synchronizer(dht, Delayer.immediate(), SyncPolicy.DEFAULT, new Random(2));
        RecordEntry aliceDevice = RecordEntry.of(1, "alice's device".getBytes(StandardCharsets.UTF_8));
        RecordEntry bobDevice = RecordEntry.of(1L << 31 | 1, "bob's device".getBytes(StandardCharsets.UTF_8));

        CompletableFuture<SyncResult> fa = a.synchronize(aliceSide, List.of(aliceDevice), new SyncListener() { });
        CompletableFuture<SyncResult> fb = b.synchronize(bobSide, List.of(bobDevice), new SyncListener() { });
        dht.release(); // both learn "no record yet", then both write their first version

        SyncResult ra = fa.join();
        SyncResult rb = fb.join();
        System.out.println("alice wrote seq " + ra.seq() + " in " + ra.attempts() + " attempts, bob seq " + rb.seq() + " in " + rb.attempts());
        RecordItem record = a.read(aliceSide, new byte[0]).join().orElseThrow();
        assertThat(record.entries()).extracting(RecordEntry::id).contains(aliceDevice.id(), bobDevice.id());
        assertThat(b.read(bobSide, new byte[0]).join().orElseThrow().entries())
                .extracting(RecordEntry::id).contains(aliceDevice.id(), bobDevice.id());
    }
}
