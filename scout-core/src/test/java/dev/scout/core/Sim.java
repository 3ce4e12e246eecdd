package dev.scout.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scout.dht.DhtConfig;
import dev.scout.dht.transport.LinkModel;
import dev.scout.dht.transport.SimNetwork;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Helpers for tests on a simulated network (virtual time, one thread). */
public final class Sim {

    private Sim() {
    }

    /** {@code size} nodes, 10–50 ms one-way latency, all bootstrapped. */
    public static SimNetwork network(int size, long seed) {
        SimNetwork net = new SimNetwork(seed, LinkModel.uniform(10, 50));
        DhtConfig config = DhtConfig.builder().bootstrap(List.of()).build();
        for (int i = 0; i < size; i++) {
            net.addNode(config);
        }
        net.bootstrapAll();
        return net;
    }

    /**
     * Pauses in virtual time: a timer on node {@code node}'s loop completes the future, so it
     * fires while the test runs the network, on the simulation thread.
     * (With a {@code SimNetwork.schedule(delay, action)} this would not need a node.)
     */
    public static Delayer delayer(SimNetwork net, int node) {
        return millis -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            net.onNode(node, core -> core.schedule(core.now() + Math.max(0, millis), () -> done.complete(null)));
            return done;
        };
    }

    /** Runs the network until {@code future} is done (at most {@code maxMillis} virtual) and returns its value. */
    public static <T> T await(SimNetwork net, CompletableFuture<T> future, long maxMillis) {
        assertThat(net.runUntil(future::isDone, maxMillis)).as("done within %d virtual ms", maxMillis).isTrue();
        return future.join();
    }

    /** Runs the network until {@code future} is done and returns the exception it failed with. */
    public static Throwable awaitFailure(SimNetwork net, CompletableFuture<?> future, long maxMillis) {
        assertThat(net.runUntil(future::isDone, maxMillis)).as("done within %d virtual ms", maxMillis).isTrue();
        assertThat(future).isCompletedExceptionally();
        try {
            future.join();
            throw new AssertionError("not failed");
        } catch (CompletionException e) {
            return e.getCause();
        }
    }
}
