package dev.scout.dht.lookup;

import dev.scout.dht.StoreOutcome;
import dev.scout.dht.krpc.KrpcError;
import dev.scout.dht.krpc.KrpcResponse;
import dev.scout.dht.krpc.Query;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The second phase of announce and put: send one write query to each of the closest nodes (with the
 * token each gave us) and collect every outcome.
 */
public final class StoreRound {
    private StoreRound() {}

    /**
     * Sends the writes and completes once every node has answered — or, as soon as at least one node
     * has stored, once every other request has answered or passed its soft timeout and a grace period
     * of {@value Traversal#SLOW_GRACE_MILLIS} ms more: a lost datagram then costs that instead of the
     * full request timeout. Requests still unanswered at
     * that point are reported as {@code (stored=false, errorCode=0, "no answer yet")}; their late
     * answers still reach the routing table but not the result.
     */
    public static CompletableFuture<List<StoreOutcome>> run(LookupContext context, List<Candidate> closest,
                                                       Function<Candidate, Query> query) {
        return run(context, closest, query, false);
    }

    /**
     * As {@link #run(LookupContext, List, Function)}; with {@code waitForAll} it completes only when every
     * node has answered or timed out. A compare-and-swap needs that: a 301/302 from a slow node must not
     * go unnoticed, or a writer could believe it won a race it lost.
     */
    public static CompletableFuture<List<StoreOutcome>> run(LookupContext context, List<Candidate> closest,
                                                       Function<Candidate, Query> query, boolean waitForAll) {
        CompletableFuture<List<StoreOutcome>> future = new CompletableFuture<>();
        List<Candidate> targets = closest.stream().filter(c -> c.response() != null && c.response().token() != null).toList();
        if (targets.isEmpty()) {
            future.complete(List.of());
            return future;
        }
        StoreOutcome[] outcomes = new StoreOutcome[targets.size()];
        boolean[] slow = new boolean[targets.size()];
        int[] counts = new int[4]; // final outcomes, settled (final or slow), stored, grace (0 none, 1 running, 2 over)
        Runnable[] checkRef = new Runnable[1];
        Runnable check = () -> {
            if (future.isDone()) {
                return;
            }
            boolean allFinal = counts[0] == targets.size();
            boolean allSettled = counts[1] == targets.size();
            if (!allFinal && !waitForAll && allSettled && counts[2] > 0 && counts[3] < 2) {
                // Slow nodes are usually just slower than most (or lost one datagram): one grace period.
                if (counts[3] == 0) {
                    counts[3] = 1;
                    context.after(Traversal.SLOW_GRACE_MILLIS, () -> {
                        counts[3] = 2;
                        checkRef[0].run();
                    });
                }
                return;
            }
            if (allFinal || !waitForAll && allSettled && counts[2] > 0) {
                List<StoreOutcome> out = new ArrayList<>(targets.size());
                for (int i = 0; i < outcomes.length; i++) {
                    out.add(outcomes[i] != null ? outcomes[i]
                            : new StoreOutcome(targets.get(i).node(), false, 0, "no answer yet"));
                }
                future.complete(List.copyOf(out));
            }
        };
        checkRef[0] = check;
        for (int idx = 0; idx < targets.size(); idx++) {
            int i = idx;
            Candidate c = targets.get(i);
            context.request(c.node(), query.apply(c), new RpcCallback() {
                @Override
                public void onResponse(KrpcResponse response, long rttMillis) {
                    record(new StoreOutcome(c.node(), true, 0, ""));
                }

                @Override
                public void onError(KrpcError error) {
                    record(new StoreOutcome(c.node(), false, error.code(), error.message()));
                }

                @Override
                public void onTimeout() {
                    record(new StoreOutcome(c.node(), false, 0, "no answer"));
                }

                @Override
                public void onSlow() {
                    if (!slow[i] && outcomes[i] == null) {
                        slow[i] = true;
                        counts[1]++;
                        check.run();
                    }
                }

                private void record(StoreOutcome outcome) {
                    if (outcomes[i] != null) {
                        return;
                    }
                    outcomes[i] = outcome;
                    counts[0]++;
                    if (!slow[i]) {
                        counts[1]++;
                    }
                    if (outcome.stored()) {
                        counts[2]++;
                    }
                    check.run();
                }
            });
        }
        return future;
    }
}
