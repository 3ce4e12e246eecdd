package dev.scout.core;

import dev.scout.dht.Dht;
import dev.scout.dht.MutableItem;
import dev.scout.dht.PutConflictException;
import dev.scout.dht.PutResult;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * One {@link KeepAlive} re-store of a mutable item, exactly as last written. If nodes refuse it
 * because they hold a newer version, the newest version is read, offered to the registration
 * ({@code adopt}) and stored instead; meeting a newer version never fails the re-store.
 */
final class MutableRestore {
    /** How many successively newer versions one refresh adopts before leaving the rest to the next. */
    private static final int MAX_ADOPTIONS = 3;

    private final Dht dht;
    private final Predicate<MutableItem> adopt;

    /**
     * @param adopt takes a newer, valid version of the item as the one kept alive; true if it did
     */
    MutableRestore(Dht dht, Predicate<MutableItem> adopt) {
        this.dht = dht;
        this.adopt = adopt;
    }

    /** True if {@code newer} is a newer, validly signed version of the same item as {@code current}; false when {@code current} is null (an immutable value). */
    static boolean isNewerVersion(MutableItem current, MutableItem newer) {
        return current != null && newer.seq() > current.seq() && newer.verify()
                && newer.publicKey().equals(current.publicKey()) && Arrays.equals(newer.salt(), current.salt());
    }

    CompletableFuture<PutResult> put(MutableItem current) {
        return dht.putMutable(current).handle((result, error) -> {
            Throwable cause = Synchronizer.unwrap(error);
            if (cause instanceof PutConflictException conflict) {
                return adoptNewer(current, conflict, MAX_ADOPTIONS);
            }
            return error == null ? CompletableFuture.completedFuture(result)
                    : CompletableFuture.<PutResult>failedFuture(cause);
        }).thenCompose(f -> f);
    }

    /**
     * Nodes refused {@code stale} because they hold a newer version: someone else wrote since,
     * which is not a failure of the keep-alive. The newest version is read, adopted and stored
     * again (it is just as validly signed); if it too meets a newer one, again, a bounded number
     * of times. If the read does not return anything newer (it reached other nodes, or the
     * writer is still storing), the refresh still succeeds: the refusing nodes hold the record,
     * so it is alive; the next refresh reads again.
     */
    private CompletableFuture<PutResult> adoptNewer(MutableItem stale, PutConflictException conflict,
                                                    int attemptsLeft) {
        // The full read (every version among the closest), not the early-stopping getMutable: right
        // after a 302 the newer version may still be spreading, and the first answers could agree on ours.
        return dht.getMutableVersions(stale.publicKey(), stale.salt())
                .thenApply(versions -> versions.stream().findFirst()).handle((found, readError) -> {
            if (readError != null || found.isEmpty() || found.get().seq() <= stale.seq()
                    || !adopt.test(found.get()) || attemptsLeft == 0) {
                return CompletableFuture.completedFuture(conflict.result());
            }
            MutableItem newer = found.get();
            return dht.putMutable(newer).handle((result, error) -> {
                Throwable cause = Synchronizer.unwrap(error);
                if (cause instanceof PutConflictException again) {
                    return adoptNewer(newer, again, attemptsLeft - 1);
                }
                return error == null ? CompletableFuture.completedFuture(result)
                        : CompletableFuture.<PutResult>failedFuture(cause);
            }).thenCompose(f -> f);
        }).thenCompose(f -> f);
    }
}
