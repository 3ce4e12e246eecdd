package dev.scout.core;

import dev.scout.dht.FormatException;
import dev.scout.dht.LimitExceededException;

import dev.scout.core.crypto.PairKeys;
import dev.scout.dht.Dht;
import dev.scout.dht.DhtException;
import dev.scout.dht.PutConflictException;
import dev.scout.dht.PutResult;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.MutableItem;
import dev.scout.dht.StoreOutcome;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Synchronizes a pair's contact record (docs/spec.md §4): read the record (the highest seq wins),
 * decrypt it, merge it with the local entries, report what changed, let the caller finalize
 * the list, and write it back with {@code seq = highest seen + 1} and {@code cas = highest
 * seen} ({@code cas = 0} when the record does not exist yet: libtorrent replaces an item of equal seq,
 * so two devices' crossing first writes would otherwise both "succeed" and one would vanish; with
 * cas 0 the second is refused with 301 and merges). When another device wrote in between
 * (BEP 44 error 301 or 302) the whole round is repeated after a random pause, at most
 * {@link SyncPolicy#maxAttempts()} times.
 *
 * <p>Everything is asynchronous: nothing here blocks or joins, so it runs equally on a real
 * {@link dev.scout.dht.udp.DhtNode} and on a single-threaded simulated network. See
 * {@link SyncListener} for the threads callbacks run on. Instances are thread-safe and
 * hold no per-record state; concurrent synchronizes of the same record (from this or other
 * devices) are resolved by the DHT's compare-and-swap and the retries.
 *
 * <p><b>Stale nodes.</b> A storing node that missed an earlier write (a lost packet) holds an
 * older seq and refuses every later put carrying {@code cas} with 301. After such a refusal
 * the next round first re-stores the exact item it read (signed, unchanged, without cas) so
 * the stale nodes catch up, then writes the merged record with cas as usual.
 *
 * <pre>{@code
 * Synchronizer sync = new Synchronizer(dht);
 * sync.synchronize(keys, localEntries, new SyncListener() {
 *     public void entryUpdated(RecordEntry e) { System.out.println("peer changed " + e); }
 * }).thenAccept(result -> localEntries = result.entries());
 * }</pre>
 */
public final class Synchronizer {

    private static final Logger LOG = LoggerFactory.getLogger(Synchronizer.class);
    private static final byte[] NO_SALT = new byte[0];
    /**
     * The cas of a first write: no record has seq 0 (ours start at 1), so a node that already holds
     * another device's first version refuses ours with 301 instead of replacing it, and a node that
     * holds none stores it (BEP 44 compares cas only with a stored item).
     */
    static final long NO_RECORD_CAS = 0;

    private final Dht dht;
    private final Delayer delayer;
    private final SyncPolicy policy;
    private final Random random;

    /**
     * Real-time pauses, {@link SyncPolicy#DEFAULT}.
     *
     * @param dht the DHT
     */
    public Synchronizer(Dht dht) {
        this(dht, Delayer.realTime(), SyncPolicy.DEFAULT, new SecureRandom());
    }

    /**
     * @param delayer how to pause between attempts (virtual time in simulations)
     * @param random source of the pauses' jitter (seeded for reproducible simulations)
     * @param dht the DHT
     * @param policy the retry policy
     */
    public Synchronizer(Dht dht, Delayer delayer, SyncPolicy policy, Random random) {
        this.dht = Objects.requireNonNull(dht, "dht");
        this.delayer = Objects.requireNonNull(delayer, "delayer");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Attempts and pauses of synchronize.
     *
     * @return the policy
     */
    public SyncPolicy policy() {
        return policy;
    }

    /**
     * As {@link #synchronize(PairKeys, byte[], List, SyncListener)} with an empty salt.
     *
     * @param keys the key pair
     * @param localEntries this side's entries
     * @param listener callbacks of this call
     * @return a future of the merged record as written
     */
    public CompletableFuture<SyncResult> synchronize(PairKeys keys, List<RecordEntry> localEntries, SyncListener listener) {
        return synchronize(keys, NO_SALT, localEntries, listener);
    }

    /**
     * Merges {@code localEntries} with the record in the DHT and writes the union back. Carry
     * {@link SyncResult#entries()} forward and {@link RecordEntry#assign} new content; a local entry
     * with the stored entry's seq but other content (an update made with {@code RecordEntry.of} again)
     * is written as the next version, never dropped by the tie-break.
     *
     * <p>The returned future completes with what was written, or fails with
     * <ul>
     *   <li>{@link RecordDecryptionException} — the stored record cannot be opened with these keys
     *       (modified, or sealed with another key); nothing is written;</li>
     *   <li>{@link FormatException} — it decrypts but its contents are malformed; nothing is written;</li>
     *   <li>{@link SyncConflictException} — other devices won every attempt;</li>
     *   <li>{@link LimitExceededException} — the finalized entries do not fit; nothing is written;</li>
     *   <li>{@link DhtException} — the lookup failed or no node stored the record;</li>
     *   <li>whatever a {@link SyncListener} callback threw.</li>
     * </ul>
     * The failure is the future's direct cause ({@code whenComplete} sees it unwrapped;
     * {@code join} wraps it in a {@code CompletionException}).
     *
     * @param salt the application namespace, empty for none (at most 64 bytes)
     * @param keys the key pair
     * @param localEntries this side's entries
     * @param listener callbacks of this call
     * @return a future of the merged record as written
     */
    public CompletableFuture<SyncResult> synchronize(PairKeys keys, byte[] salt, List<RecordEntry> localEntries,
                                                     SyncListener listener) {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(localEntries, "localEntries");
        Objects.requireNonNull(listener, "listener");
        RecordItem.checkSalt(salt);
        Run run = new Run(keys, salt.clone(), List.copyOf(localEntries), listener);
        run.attempt();
        return run.result;
    }

    /**
     * Reads and opens the current record without writing; empty if there is none.
     *
     * @param keys the key pair
     * @param salt the salt (empty: none)
     * @return a future of the record, or empty if none exists
     */
    public CompletableFuture<Optional<RecordItem>> read(PairKeys keys, byte[] salt) {
        RecordItem.checkSalt(salt);
        CompletableFuture<Optional<RecordItem>> out = new CompletableFuture<>();
        CompletableFuture<Optional<MutableItem>> get;
        try {
            // Every version among the closest nodes, not the quick getMutable that may stop once the
            // first answers agree: stale or replayed copies on some of the closest must not hide the
            // newest record from a reader.
            get = dht.getMutableVersions(keys.recordPublicKey(), salt.clone())
                    .thenApply(versions -> versions.stream().findFirst());
        } catch (RuntimeException e) {
            get = CompletableFuture.failedFuture(e);
        }
        get.whenComplete((found, error) -> {
            if (error != null) {
                out.completeExceptionally(unwrap(error));
                return;
            }
            try {
                out.complete(found.map(item -> RecordItem.open(keys, item)));
            } catch (RuntimeException e) {
                out.completeExceptionally(e);
            }
        });
        return out;
    }

    /**
     * A local entry with the same seq as the stored one but other content is an update made without
     * carrying the stored version forward (e.g. {@code RecordEntry.of(1, newAddress)} twice) or a
     * concurrent writer's: it becomes the next version (seq + 1), so the caller's update is written
     * rather than left to the tie-break, which would drop it silently half of the time (the last writer
     * wins). A local entry with a lower seq is an older copy and loses as usual.
     */
    static List<RecordEntry> keepCallerUpdates(List<RecordEntry> local, List<RecordEntry> remote) {
        java.util.Map<Long, RecordEntry> remoteById = new java.util.HashMap<>();
        for (RecordEntry r : remote) {
            remoteById.merge(r.id(), r, EntryMerge::winner);
        }
        List<RecordEntry> out = new ArrayList<>(local.size());
        for (RecordEntry l : local) {
            RecordEntry r = remoteById.get(l.id());
            if (r != null && r.seq() == l.seq() && !r.equals(l)) {
                if (r.seq() == Long.MAX_VALUE) {
                    throw new LimitExceededException("entry " + l.id() + " seq cannot grow past " + Long.MAX_VALUE);
                }
                out.add(new RecordEntry(l.id(), r.seq() + 1, l.flags(), l.content()));
            } else {
                out.add(l);
            }
        }
        return out;
    }

    /** One synchronize: its rounds share this state; they run one after another, never concurrently. */
    private final class Run {
        final PairKeys keys;
        final byte[] salt;
        final SyncListener listener;
        final Ed25519KeyPair signer;
        final CompletableFuture<SyncResult> result = new CompletableFuture<>();
        final List<RecordEntry> updated = new ArrayList<>();
        List<RecordEntry> local;
        int attempts;
        boolean healNext;
        /** The last put was a first write (cas 0): its 301 means another first write won, not a stale node. */
        boolean firstWrite;

        Run(PairKeys keys, byte[] salt, List<RecordEntry> local, SyncListener listener) {
            this.keys = keys;
            this.salt = salt;
            this.local = local;
            this.listener = listener;
            this.signer = RecordItem.signer(keys);
        }

        void attempt() {
            attempts++;
            CompletableFuture<List<MutableItem>> read;
            try {
                read = dht.getMutableVersions(signer.publicKey(), salt);
            } catch (RuntimeException e) {
                read = CompletableFuture.failedFuture(e);
            }
            read.thenCompose(this::mergeAndWrite).whenComplete((written, error) -> {
                if (error == null) {
                    succeed(written);
                } else {
                    onFailure(unwrap(error));
                }
            });
        }

        private CompletableFuture<SyncResult> mergeAndWrite(List<MutableItem> versions) {
            // Usually one version. Several mean writers raced and storing nodes disagree (e.g. one missed
            // a put): merging them all keeps every acknowledged update, whichever version a node holds.
            MutableItem remoteItem = versions.isEmpty() ? null : versions.get(0);
            RecordItem remote = remoteItem == null ? null : RecordItem.open(keys, remoteItem);
            List<RecordEntry> remoteEntries = remote == null ? List.of() : remote.entries();
            for (MutableItem other : versions.subList(Math.min(1, versions.size()), versions.size())) {
                remoteEntries = EntryMerge.merge(remoteEntries, RecordItem.open(keys, other).entries()).merged();
            }
            local = keepCallerUpdates(local, remoteEntries);
            EntryMerge.Result merge = EntryMerge.merge(local, remoteEntries);
            for (RecordEntry e : merge.changed()) {
                updated.add(e);
                listener.entryUpdated(e);
            }
            List<RecordEntry> finalized = listener.finalizeEntries(merge.merged());
            if (finalized == null) {
                throw new IllegalStateException("SyncListener.finalizeEntries returned null");
            }
            long seq;
            long cas;
            if (remote == null) {
                seq = 1;
                cas = NO_RECORD_CAS;
                firstWrite = true;
            } else if (remote.seq() == Long.MAX_VALUE) {
                throw new LimitExceededException("contact record seq cannot grow past " + Long.MAX_VALUE);
            } else {
                seq = remote.seq() + 1;
                cas = remote.seq();
                firstWrite = false;
            }
            RecordItem mine = RecordItem.seal(signer, keys, salt, seq, finalized);
            // A retry must keep the caller's edits: it merges from what this round would have written.
            local = mine.entries();
            boolean heal = healNext && remoteItem != null;
            healNext = false;
            CompletableFuture<?> before = heal ? heal(remoteItem) : CompletableFuture.completedFuture(null);
            return before.thenCompose(ignored -> dht.putMutable(mine.item(), cas)).thenApply(put -> {
                if (put.stored() == 0) {
                    throw new DhtException("contact record seq " + seq + " was stored on no DHT node ("
                            + put.outcomes().size() + " asked)");
                }
                return new SyncResult(mine.entries(), updated, seq, put.stored(), attempts, mine.item());
            });
        }

        /** Re-stores the item read, unchanged and without cas, so nodes that missed it catch up. */
        private CompletableFuture<Void> heal(MutableItem read) {
            CompletableFuture<PutResult> put;
            try {
                put = dht.putMutable(read);
            } catch (RuntimeException e) {
                put = CompletableFuture.failedFuture(e);
            }
            // Refusals here only mean some node is even newer; the cas put that follows decides.
            return put.handle((r, e) -> null);
        }

        private void onFailure(Throwable error) {
            if (error instanceof PutConflictException conflict) {
                if (attempts < policy.maxAttempts()) {
                    healNext = !firstWrite && hasCasMismatch(conflict);
                    long pause = jitter(attempts + 1);
                    CompletableFuture<Void> delay;
                    try {
                        delay = delayer.delay(pause);
                    } catch (RuntimeException e) {
                        fail(e);
                        return;
                    }
                    delay.whenComplete((ignored, delayError) -> {
                        if (delayError != null) {
                            fail(unwrap(delayError));
                        } else {
                            attempt();
                        }
                    });
                    return;
                }
                fail(new SyncConflictException(attempts, conflict));
                return;
            }
            fail(error);
        }

        private void succeed(SyncResult written) {
            try {
                listener.finished(written);
            } catch (RuntimeException e) {
                LOG.warn("SyncListener.finished threw; the record was written anyway", e);
            }
            result.complete(written);
        }

        private void fail(Throwable error) {
            try {
                listener.failed(error);
            } catch (RuntimeException e) {
                LOG.warn("SyncListener.failed threw", e);
            }
            result.completeExceptionally(error);
        }
    }

    private long jitter(int attempt) {
        long bound = policy.backoffBound(attempt);
        if (bound <= 0) {
            return 0;
        }
        return random.nextLong(bound == Long.MAX_VALUE ? bound : bound + 1);
    }

    private static boolean hasCasMismatch(PutConflictException conflict) {
        if (conflict.isCasMismatch()) {
            return true;
        }
        PutResult r = conflict.result();
        if (r == null) {
            return false;
        }
        for (StoreOutcome o : r.outcomes()) {
            if (o.errorCode() == PutConflictException.CAS_MISMATCH) {
                return true;
            }
        }
        return false;
    }

    static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
