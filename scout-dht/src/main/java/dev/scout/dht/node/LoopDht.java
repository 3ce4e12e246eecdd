package dev.scout.dht.node;

import dev.scout.dht.AnnounceResult;
import dev.scout.dht.Dht;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.Ed25519PublicKey;
import dev.scout.dht.ImmutableItem;
import dev.scout.dht.MutableItem;
import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.PutResult;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A {@link Dht} whose every operation is a {@link DhtOperations} call made on some node's loop; the
 * subclass decides how to get onto that loop and how results come back (a UDP I/O thread and a
 * callback pool for {@code DhtNode}, the simulation's own thread for {@code SimDht}).
 */
public abstract class LoopDht implements Dht {

    /** Runs {@code operation} on the node's loop and returns its outcome to the caller. */
    protected abstract <T> CompletableFuture<T> onLoop(Function<DhtOperations, CompletableFuture<T>> operation);

    @Override
    public CompletableFuture<NodeId> ping(InetSocketAddress address) {
        return onLoop(o -> o.ping(address));
    }

    @Override
    public CompletableFuture<List<NodeInfo>> findNode(NodeId target) {
        return onLoop(o -> o.findNode(target));
    }

    @Override
    public CompletableFuture<List<InetSocketAddress>> getPeers(NodeId infoHash) {
        return onLoop(o -> o.getPeers(infoHash));
    }

    @Override
    public CompletableFuture<AnnounceResult> announce(NodeId infoHash, int port) {
        return onLoop(o -> o.announce(infoHash, port));
    }

    @Override
    public CompletableFuture<Optional<ImmutableItem>> getImmutable(NodeId target) {
        return onLoop(o -> o.getImmutable(target).thenApply(found -> found.map(ImmutableItem::new)));
    }

    @Override
    public CompletableFuture<Optional<MutableItem>> getMutable(Ed25519PublicKey publicKey, byte[] salt) {
        return onLoop(o -> o.getMutable(publicKey.bytes(), salt));
    }

    @Override
    public CompletableFuture<List<MutableItem>> getMutableVersions(Ed25519PublicKey publicKey, byte[] salt) {
        return onLoop(o -> o.getMutableVersions(publicKey.bytes(), salt));
    }

    @Override
    public CompletableFuture<PutResult> putImmutable(ImmutableItem item) {
        return onLoop(o -> o.putImmutable(item.value()));
    }

    @Override
    public CompletableFuture<PutResult> putMutable(MutableItem item) {
        return onLoop(o -> o.putMutable(item, null));
    }

    @Override
    public CompletableFuture<PutResult> putMutable(MutableItem item, long cas) {
        return onLoop(o -> o.putMutable(item, cas));
    }

    @Override
    public CompletableFuture<PutResult> putMutable(Ed25519KeyPair keys, byte[] salt, byte[] bencodedValue) {
        return onLoop(o -> o.putMutable(keys, salt, bencodedValue));
    }
}
