package dev.scout.dht;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The asynchronous DHT operations an application uses. {@code dev.scout.dht.udp.DhtNode} implements it
 * over UDP. Futures never complete on a thread that would stall the DHT loop.
 *
 * <pre>{@code
 * try (DhtNode dht = DhtNode.start(DhtConfig.builder().build())) {
 *     dht.bootstrapped().join();
 *     NodeId target = dht.putImmutable(ImmutableItem.ofText("hello")).join().target();
 *     String text = dht.getImmutable(target).join().orElseThrow().text(); // "hello"
 * }
 * }</pre>
 */
public interface Dht {
    /**
     * Pings a node; completes with its id.
     *
     * @param address the address
     * @return a future of the node's id; it fails with {@link DhtException} if the node does not answer
     */
    CompletableFuture<NodeId> ping(InetSocketAddress address);

    /**
     * The K closest live nodes to {@code target}.
     *
     * @param target the target (an item's or a node's key)
     * @return a future of up to 8 nodes, closest first
     */
    CompletableFuture<List<NodeInfo>> findNode(NodeId target);

    /**
     * Peers announced for {@code infoHash}.
     *
     * @param infoHash the info-hash
     * @return a future of the peers' addresses (empty if none were found)
     */
    CompletableFuture<List<InetSocketAddress>> getPeers(NodeId infoHash);

    /**
     * Announces that we serve {@code infoHash} on {@code port} (0 = the DHT socket's port, implied_port).
     *
     * @param infoHash the info-hash
     * @param port the port
     * @return a future of how many nodes stored the announce, and the peers seen on the way
     */
    CompletableFuture<AnnounceResult> announce(NodeId infoHash, int port);

    /**
     * The immutable item stored under {@code target}, verified against it; empty if none was found.
     *
     * @param target the target (an item's or a node's key)
     * @return a future of the item, or empty if none was found
     */
    CompletableFuture<Optional<ImmutableItem>> getImmutable(NodeId target);

    /**
     * The valid mutable item of {@code publicKey} under {@code salt} (empty array: no salt) with the
     * highest seq among the nodes that answered. For speed the lookup may end before all of the
     * closest nodes answered, once several of the closest agree on one newest version and none of
     * them holds an older one; a reader that must not miss a newer version held by only some of the
     * closest nodes (stale or replayed copies on the others) uses {@link #getMutableVersions}.
     *
     * @param publicKey the public key
     * @param salt the salt (empty: none)
     * @return a future of the newest valid item, or empty if none was found
     */
    CompletableFuture<Optional<MutableItem>> getMutable(Ed25519PublicKey publicKey, byte[] salt);

    /**
     * Every distinct valid version of a mutable item seen among the closest nodes, highest seq first
     * (equal seqs: greater value first), after a lookup that heard from all of the closest it could. Normally one; more when writers raced and storing nodes
     * disagree, which a merging reader (Scout's synchronize) uses so that no version's update is lost.
     *
     * @param publicKey the public key
     * @param salt the salt (empty: none)
     * @return a future of the versions, newest first (empty if none was found)
     */
    default CompletableFuture<List<MutableItem>> getMutableVersions(Ed25519PublicKey publicKey, byte[] salt) {
        return getMutable(publicKey, salt).thenApply(found -> found.map(List::of).orElse(List.of()));
    }

    /**
     * Stores an immutable item.
     *
     * @param item the item
     * @return a future of where the item was stored and by how many nodes
     */
    CompletableFuture<PutResult> putImmutable(ImmutableItem item);

    /**
     * Stores a signed mutable item without compare-and-swap. Fails with {@link PutConflictException}
     * when a storing node reports 302 (a newer seq is stored).
     *
     * @param item the item
     * @return a future of where the item was stored and by how many nodes
     */
    CompletableFuture<PutResult> putMutable(MutableItem item);

    /**
     * Stores a signed mutable item only where the stored seq is still {@code cas} (BEP 44
     * compare-and-swap). Fails with {@link PutConflictException} when a storing node reports 301 or 302.
     *
     * @param item the item
     * @param cas the seq the stored item must still have (compare-and-swap)
     * @return a future of where the item was stored and by how many nodes
     */
    CompletableFuture<PutResult> putMutable(MutableItem item, long cas);

    /**
     * Reads the current item and stores {@code bencodedValue} with seq = highest seen + 1 and cas =
     * highest seen (no cas when nothing exists), signed by {@code keys}.
     *
     * @param keys the key pair
     * @param salt the salt (empty: none)
     * @param bencodedValue the bencoded value
     * @return a future of the put, whose {@link PutResult#seq()} is the seq written
     */
    CompletableFuture<PutResult> putMutable(Ed25519KeyPair keys, byte[] salt, byte[] bencodedValue);
}
