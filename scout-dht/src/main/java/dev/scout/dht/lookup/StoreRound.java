package dev.scout.dht.lookup;

import dev.scout.dht.NodeInfo;
import dev.scout.dht.krpc.KrpcError;
import dev.scout.dht.krpc.KrpcResponse;
import dev.scout.dht.krpc.Query;
import dev.scout.dht.node.RpcCallback;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The second phase of announce and put: send one write query to each of the closest nodes (with the
 * token each gave us) and collect every outcome.
 */
public final class StoreRound {
    /** What one storing node said: success, or the KRPC error (code 0 = no answer). */
    public record Outcome(NodeInfo node, boolean stored, int errorCode, String errorMessage) {
    }

    private StoreRound() {}

    public static CompletableFuture<List<Outcome>> run(LookupContext context, List<Candidate> closest,
                                                       Function<Candidate, Query> query) {
        CompletableFuture<List<Outcome>> future = new CompletableFuture<>();
        List<Candidate> targets = closest.stream().filter(c -> c.response() != null && c.response().token() != null).toList();
        if (targets.isEmpty()) {
            future.complete(List.of());
            return future;
        }
        List<Outcome> outcomes = new ArrayList<>(targets.size());
        for (Candidate c : targets) {
            context.request(c.node(), query.apply(c), new RpcCallback() {
                @Override
                public void onResponse(KrpcResponse response, long rttMillis) {
                    record(new Outcome(c.node(), true, 0, ""));
                }

                @Override
                public void onError(KrpcError error) {
                    record(new Outcome(c.node(), false, error.code(), error.message()));
                }

                @Override
                public void onTimeout() {
                    record(new Outcome(c.node(), false, 0, "no answer"));
                }

                private void record(Outcome outcome) {
                    outcomes.add(outcome);
                    if (outcomes.size() == targets.size()) {
                        future.complete(List.copyOf(outcomes));
                    }
                }
            });
        }
        return future;
    }
}
