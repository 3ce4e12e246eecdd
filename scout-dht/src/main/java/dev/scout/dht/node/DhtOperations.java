package dev.scout.dht.node;

import dev.scout.dht.lookup.GetPeersLookup;
import dev.scout.dht.lookup.GetItemLookup;
import dev.scout.dht.lookup.StoreRound;
import dev.scout.dht.lookup.Candidate;
import dev.scout.dht.lookup.FindNodeLookup;

import dev.scout.dht.AnnounceResult;
import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.PutConflictException;
import dev.scout.dht.PutResult;
import dev.scout.dht.StoreOutcome;
import dev.scout.dht.ImmutableItem;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.MutableItem;
import dev.scout.dht.krpc.KrpcError;
import dev.scout.dht.krpc.KrpcResponse;
import dev.scout.dht.krpc.Query;
import dev.scout.dht.lookup.RpcCallback;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * The application-level operations, composed from lookups, on one {@link NodeCore}. Every method must be
 * called on the node's loop and its future completes on that loop; {@code DhtNode} moves both across
 * threads, simulations call these directly.
 */
public final class DhtOperations {
    private final NodeCore core;

    public DhtOperations(NodeCore core) {
        this.core = core;
    }

    public CompletableFuture<NodeId> ping(InetSocketAddress address) {
        CompletableFuture<NodeId> f = new CompletableFuture<>();
        core.request(address, new Query.Ping(), new RpcCallback() {
            @Override
            public void onResponse(KrpcResponse response, long rttMillis) {
                f.complete(response.sender());
            }

            @Override
            public void onError(KrpcError error) {
                f.completeExceptionally(new dev.scout.dht.DhtException(
                        "node answered with error " + error.code() + ": " + error.message()));
            }

            @Override
            public void onTimeout() {
                f.completeExceptionally(new TimeoutException("no answer from " + address));
            }
        });
        return f;
    }

    public CompletableFuture<List<NodeInfo>> findNode(NodeId target) {
        return core.startLookup(new FindNodeLookup(core, target)).future();
    }

    public CompletableFuture<List<InetSocketAddress>> getPeers(NodeId infoHash) {
        return core.startLookup(new GetPeersLookup(core, infoHash)).future().thenApply(GetPeersLookup.Result::peers);
    }

    public CompletableFuture<AnnounceResult> announce(NodeId infoHash, int port) {
        boolean implied = port == 0;
        return core.startLookup(new GetPeersLookup(core, infoHash)).future().thenCompose(found ->
                StoreRound.run(core, found.closest(), c ->
                                new Query.AnnouncePeer(infoHash, implied ? 1 : port, c.response().token(), implied))
                        .thenApply(outcomes -> new AnnounceResult(
                                (int) outcomes.stream().filter(StoreOutcome::stored).count(), found.peers())));
    }

    public CompletableFuture<Optional<byte[]>> getImmutable(NodeId target) {
        return core.startLookup(GetItemLookup.immutable(core, target, core::countInvalidItem)).future()
                .thenApply(GetItemLookup.Result::immutable);
    }

    public CompletableFuture<GetItemLookup.Result> getMutableWithTokens(byte[] publicKey, byte[] salt) {
        return core.startLookup(GetItemLookup.mutable(core, publicKey, salt, core::countInvalidItem)).future();
    }

    public CompletableFuture<Optional<MutableItem>> getMutable(byte[] publicKey, byte[] salt) {
        return core.startLookup(GetItemLookup.mutable(core, publicKey, salt, core::countInvalidItem)
                .stopWhenClosestAgree()).future().thenApply(GetItemLookup.Result::mutable);
    }

    public CompletableFuture<List<MutableItem>> getMutableVersions(byte[] publicKey, byte[] salt) {
        return getMutableWithTokens(publicKey, salt).thenApply(GetItemLookup.Result::versions);
    }

    public CompletableFuture<PutResult> putImmutable(byte[] bencodedValue) {
        ImmutableItem item = new ImmutableItem(bencodedValue);
        NodeId target = item.target();
        return core.startLookup(GetItemLookup.immutable(core, target, core::countInvalidItem)).future()
                .thenCompose(found -> store(target, null, found.closest(), false, c ->
                        new Query.Put(c.response().token(), bencodedValue, null, null, null, null, null)));
    }

    public CompletableFuture<PutResult> putMutable(MutableItem item, Long cas) {
        return getMutableWithTokens(item.publicKey().bytes(), item.salt())
                .thenCompose(found -> storeMutable(item, cas, found.closest()));
    }

    public CompletableFuture<PutResult> putMutable(Ed25519KeyPair signer, byte[] salt, byte[] value) {
        return getMutableWithTokens(signer.publicKey().bytes(), salt).thenCompose(found -> {
            Long cas = found.mutable().map(MutableItem::seq).orElse(null);
            long seq = cas == null ? 1 : cas + 1;
            return storeMutable(MutableItem.sign(signer, salt, seq, value), cas, found.closest());
        });
    }

    private CompletableFuture<PutResult> storeMutable(MutableItem item, Long cas, List<Candidate> closest) {
        byte[] salt = item.salt();
        return store(item.target(), item.seq(), closest, cas != null, c -> new Query.Put(c.response().token(),
                item.value(), item.publicKey().bytes(), item.signature(), salt.length == 0 ? null : salt, item.seq(), cas));
    }

    private CompletableFuture<PutResult> store(NodeId target, Long seq, List<Candidate> closest, boolean waitForAll,
                                               java.util.function.Function<Candidate, Query> query) {
        return StoreRound.run(core, closest, query, waitForAll).thenApply(outcomes -> {
            int stored = (int) outcomes.stream().filter(StoreOutcome::stored).count();
            PutResult result = new PutResult(target, seq == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(seq),
                    stored, outcomes);
            for (StoreOutcome o : outcomes) {
                if (o.errorCode() == KrpcError.CAS_MISMATCH || o.errorCode() == KrpcError.SEQ_TOO_OLD) {
                    throw new PutConflictException(o.errorCode(), result);
                }
            }
            return result;
        });
    }
}
