package dev.scout.dht.transport;

import dev.scout.dht.node.DhtOperations;
import dev.scout.dht.node.LoopDht;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The {@link dev.scout.dht.Dht} API of one node of a {@link SimNetwork}. Futures complete while the network runs
 * ({@link SimNetwork#runUntil}), on the simulation's thread, so code built on {@code Dht} can be tested
 * deterministically across thousands of nodes.
 *
 * <pre>{@code
 * Dht alice = new SimDht(net, 3);
 * CompletableFuture<PutResult> put = alice.putImmutable(value);
 * net.runUntil(put::isDone, 60_000);
 * }</pre>
 */
public final class SimDht extends LoopDht {
    private final SimNetwork network;
    private final int index;
    private final DhtOperations ops;

    public SimDht(SimNetwork network, int index) {
        this.network = network;
        this.index = index;
        this.ops = new DhtOperations(network.node(index));
    }

    public int index() {
        return index;
    }

    @Override
    protected <T> CompletableFuture<T> onLoop(Function<DhtOperations, CompletableFuture<T>> operation) {
        return network.onNode(index, core -> operation.apply(ops));
    }
}
