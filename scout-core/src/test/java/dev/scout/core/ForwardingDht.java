package dev.scout.core;

import dev.scout.dht.AnnounceResult;
import dev.scout.dht.Dht;
import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.PutResult;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.MutableItem;
import dev.scout.dht.ImmutableItem;
import dev.scout.dht.Ed25519PublicKey;
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
    public CompletableFuture<Optional<ImmutableItem>> getImmutable(NodeId target) {
        return delegate.getImmutable(target);
    }

    @Override
    public CompletableFuture<Optional<MutableItem>> getMutable(Ed25519PublicKey publicKey, byte[] salt) {
        return delegate.getMutable(publicKey, salt);
    }

    @Override
    public CompletableFuture<java.util.List<MutableItem>> getMutableVersions(Ed25519PublicKey publicKey, byte[] salt) {
        return delegate.getMutableVersions(publicKey, salt);
    }

    @Override
    public CompletableFuture<PutResult> putImmutable(ImmutableItem item) {
        return delegate.putImmutable(item);
    }

    @Override
    public CompletableFuture<PutResult> putMutable(MutableItem item) {
        return putMutableItem(item, null);
    }

    @Override
    public CompletableFuture<PutResult> putMutable(MutableItem item, long cas) {
        return putMutableItem(item, cas);
    }

    /** Both mutable puts ({@code cas} null: none); tests override this one to intercept them. */
    protected CompletableFuture<PutResult> putMutableItem(MutableItem item, Long cas) {
        return cas == null ? delegate.putMutable(item) : delegate.putMutable(item, cas);
    }

    @Override
    public CompletableFuture<PutResult> putMutable(Ed25519KeyPair signer, byte[] salt, byte[] value) {
        return delegate.putMutable(signer, salt, value);
    }
}
