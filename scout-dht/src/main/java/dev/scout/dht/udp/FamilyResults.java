package dev.scout.dht.udp;

import dev.scout.dht.MutableItem;
import dev.scout.dht.PutConflictException;
import dev.scout.dht.PutResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/** Combines the per-family outcomes of a {@link DualStackNode} operation into one. */
final class FamilyResults {
    private FamilyResults() {
    }

    /** Higher seq is newer; equal seqs: greater value bytes, so every reader picks the same version. */
    static final Comparator<MutableItem> NEWEST_LAST = Comparator.comparingLong(MutableItem::seq)
            .thenComparing(MutableItem::value, Arrays::compareUnsigned);

    static PutResult merge(List<PutResult> results) {
        PutResult first = results.get(0);
        return new PutResult(first.target(), first.seq(), results.stream().mapToInt(PutResult::stored).sum(),
                results.stream().flatMap(r -> r.outcomes().stream()).toList());
    }

    /**
     * Every family's put outcome merged; a compare-and-swap conflict in any family fails the whole put,
     * other errors only when every family failed.
     */
    static CompletableFuture<PutResult> combinePuts(List<CompletableFuture<PutResult>> puts) {
        return CompletableFuture.allOf(puts.stream().map(f -> f.handle((v, e) -> null)).toArray(CompletableFuture[]::new))
                .thenApply(ignored -> {
                    List<PutResult> ok = new ArrayList<>();
                    PutConflictException conflict = null;
                    Throwable other = null;
                    for (CompletableFuture<PutResult> f : puts) {
                        try {
                            ok.add(f.join());
                        } catch (CompletionException e) {
                            Throwable t = LoopCalls.unwrap(e);
                            if (t instanceof PutConflictException c) {
                                ok.add(c.result());
                                conflict = conflict == null ? c : conflict;
                            } else if (other == null) {
                                other = t;
                            }
                        }
                    }
                    if (conflict != null) {
                        // A compare-and-swap refused in either family must be retried by the writer.
                        throw new PutConflictException(conflict.code(), merge(ok));
                    }
                    if (ok.isEmpty()) {
                        throw other instanceof RuntimeException re ? re : new CompletionException(other);
                    }
                    return merge(ok);
                });
    }

    /** Each future's value in order, null for a failed one; fails only when all failed. */
    static <T> CompletableFuture<List<T>> all(List<CompletableFuture<T>> fs) {
        return CompletableFuture.allOf(fs.stream().map(f -> f.handle((v, e) -> null)).toArray(CompletableFuture[]::new))
                .thenApply(ignored -> {
                    List<T> out = new ArrayList<>();
                    Throwable error = null;
                    for (CompletableFuture<T> f : fs) {
                        try {
                            out.add(f.join());
                        } catch (CompletionException e) {
                            out.add(null);
                            error = error == null ? LoopCalls.unwrap(e) : error;
                        }
                    }
                    if (error != null && out.stream().allMatch(java.util.Objects::isNull)) {
                        throw error instanceof RuntimeException re ? re : new CompletionException(error);
                    }
                    return out;
                });
    }

    /** The successful results of {@code op} on each node; fails only when all failed. */
    static <T> CompletableFuture<List<T>> all(List<DhtNode> nodes, Function<DhtNode, CompletableFuture<T>> op) {
        return all(nodes.stream().map(op).toList())
                .thenApply(results -> results.stream().filter(java.util.Objects::nonNull).toList());
    }
}
