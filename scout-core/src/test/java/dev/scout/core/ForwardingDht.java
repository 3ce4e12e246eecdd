package dev.scout.core;

import dev.scout.dht.AnnounceResult;
import dev.scout.dht.Dht;
import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.PutResult;
import dev.scout.dht.item.ItemSigner;
import dev.scout.dht.item.MutableItem;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Forwards everything to a delegate; tests override what they intercept. */
public class ForwardingDht implements Dht {
    protected final Dht delegate;

    public ForwardingDht(Dht delegate) {
        this.delegate = delegate;
    }

    @Override
    public CompletableFuture<NodeId> ping(InetSocketAddress address) {
        return delegate.ping(address);
    }

    @Override
    public CompletableFuture<List<NodeInfo>> findNode(NodeId target) {
        return delegate.findNode(target);
    }

    @Override
    public CompletableFuture<List<InetSocketAddress>> getPeers(NodeId infoHash) {
        return delegate.getPeers(infoHash);
    }

    @Override
    public CompletableFuture<AnnounceResult> announce(NodeId infoHash, int port) {
        return delegate.announce(infoHash, port);
    }

    @Override
    public CompletableFuture<Optional<byte[]>> getImmutable(NodeId target) {
        return delegate.getImmutable(target);
    }

    @Override
    public CompletableFuture<Optional<MutableItem>> getMutable(byte[] publicKey, byte[] salt) {
        return delegate.getMutable(publicKey, salt);
    }

    @Override
    public CompletableFuture<java.util.List<MutableItem>> getMutableVersions(byte[] publicKey, byte[] salt) {
        return delegate.getMutableVersions(publicKey, salt);
    }

    @Override
    public CompletableFuture<PutResult> putImmutable(byte[] bencodedValue) {
        return delegate.putImmutable(bencodedValue);
    }

    @Override
    public CompletableFuture<PutResult> putMutable(MutableItem item, Long cas) {
        return delegate.putMutable(item, cas);
    }

    @Override
    public CompletableFuture<PutResult> putMutable(ItemSigner signer, byte[] salt, byte[] value) {
        return delegate.putMutable(signer, salt, value);
    }
}
