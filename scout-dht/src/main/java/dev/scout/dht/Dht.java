package dev.scout.dht;

import dev.scout.dht.item.ItemSigner;
import dev.scout.dht.item.MutableItem;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The asynchronous DHT operations an application uses. {@link DhtNode} implements it over UDP;
 * simulations implement it over a {@code SimNetwork}. Futures never complete on a thread that would
 * stall the DHT loop.
 *
 * <pre>{@code
 * try (DhtNode dht = DhtNode.start(DhtConfig.builder().build())) {
 *     dht.bootstrapped().join();
 *     NodeId target = dht.putImmutable(Bencode.encode(Bencode.bytes("hello"))).join().target();
 *     byte[] v = dht.getImmutable(target).join().orElseThrow();
 * }
 * }</pre>
 */
public interface Dht {
    /** Pings a node; completes with its id. */
    CompletableFuture<NodeId> ping(InetSocketAddress address);

    /** The K closest live nodes to {@code target}. */
    CompletableFuture<List<NodeInfo>> findNode(NodeId target);

    /** Peers announced for {@code infoHash}. */
    CompletableFuture<List<InetSocketAddress>> getPeers(NodeId infoHash);

    /** Announces that we serve {@code infoHash} on {@code port} (0 = the DHT socket's port, implied_port). */
    CompletableFuture<AnnounceResult> announce(NodeId infoHash, int port);

    /** An immutable item's bencoded value, verified against its target. */
    CompletableFuture<Optional<byte[]>> getImmutable(NodeId target);

    /** The valid mutable item with the highest seq among the closest nodes; completes after the whole lookup. */
    CompletableFuture<Optional<MutableItem>> getMutable(byte[] publicKey, byte[] salt);

    /**
     * Every distinct valid version of a mutable item seen among the closest nodes, highest seq first
     * (equal seqs: greater value first). Normally one; more when writers raced and storing nodes
     * disagree, which a merging reader (Scout's synchronize) uses so that no version's update is lost.
     */
    default CompletableFuture<List<MutableItem>> getMutableVersions(byte[] publicKey, byte[] salt) {
        return getMutable(publicKey, salt).thenApply(found -> found.map(List::of).orElse(List.of()));
    }

    /** Stores a bencoded value as an immutable item. */
    CompletableFuture<PutResult> putImmutable(byte[] bencodedValue);

    /**
     * Stores a signed mutable item with an optional compare-and-swap seq. Fails with
     * {@link PutConflictException} when a storing node reports 301 or 302.
     */
    CompletableFuture<PutResult> putMutable(MutableItem item, Long cas);

    /**
     * Reads the current item and stores {@code value} with seq = highest seen + 1 and cas = highest seen
     * (no cas when nothing exists), signed by {@code signer}.
     */
    CompletableFuture<PutResult> putMutable(ItemSigner signer, byte[] salt, byte[] value);
}
