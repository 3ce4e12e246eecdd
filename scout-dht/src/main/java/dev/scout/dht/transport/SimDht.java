package dev.scout.dht.transport;

import dev.scout.dht.AnnounceResult;
import dev.scout.dht.Dht;
import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.PutResult;
import dev.scout.dht.item.ItemSigner;
import dev.scout.dht.item.MutableItem;
import dev.scout.dht.lookup.DhtOperations;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The {@link Dht} API of one node of a {@link SimNetwork}. Futures complete while the network runs
 * ({@link SimNetwork#runUntil}), on the simulation's thread, so code built on {@code Dht} can be tested
 * deterministically across thousands of nodes.
 *
 * <pre>{@code
 * Dht alice = new SimDht(net, 3);
 * CompletableFuture<PutResult> put = alice.putImmutable(value);
 * net.runUntil(put::isDone, 60_000);
 * }</pre>
 */
public final class SimDht implements Dht {
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

    private <T> CompletableFuture<T> run(Function<DhtOperations, CompletableFuture<T>> operation) {
        return network.onNode(index, core -> operation.apply(ops));
    }

    @Override
    public CompletableFuture<NodeId> ping(InetSocketAddress address) {
        return run(o -> o.ping(address));
    }

    @Override
    public CompletableFuture<List<NodeInfo>> findNode(NodeId target) {
        return run(o -> o.findNode(target));
    }

    @Override
    public CompletableFuture<List<InetSocketAddress>> getPeers(NodeId infoHash) {
        return run(o -> o.getPeers(infoHash));
    }

    @Override
    public CompletableFuture<AnnounceResult> announce(NodeId infoHash, int port) {
        return run(o -> o.announce(infoHash, port));
    }

    @Override
    public CompletableFuture<Optional<byte[]>> getImmutable(NodeId target) {
        return run(o -> o.getImmutable(target));
    }

    @Override
    public CompletableFuture<Optional<MutableItem>> getMutable(byte[] publicKey, byte[] salt) {
        return run(o -> o.getMutable(publicKey, salt));
    }

    @Override
    public CompletableFuture<PutResult> putImmutable(byte[] bencodedValue) {
        return run(o -> o.putImmutable(bencodedValue));
    }

    @Override
    public CompletableFuture<PutResult> putMutable(MutableItem item, Long cas) {
        return run(o -> o.putMutable(item, cas));
    }

    @Override
    public CompletableFuture<PutResult> putMutable(ItemSigner signer, byte[] salt, byte[] value) {
        return run(o -> o.putMutable(signer, salt, value));
    }
}
