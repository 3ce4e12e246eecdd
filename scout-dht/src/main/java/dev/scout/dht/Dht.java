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
    /** Pings a node; completes with its id. */
    CompletableFuture<NodeId> ping(InetSocketAddress address);

    /** The K closest live nodes to {@code target}. */
    CompletableFuture<List<NodeInfo>> findNode(NodeId target);

    /** Peers announced for {@code infoHash}. */
    CompletableFuture<List<InetSocketAddress>> getPeers(NodeId infoHash);

    /** Announces that we serve {@code infoHash} on {@code port} (0 = the DHT socket's port, implied_port). */
    CompletableFuture<AnnounceResult> announce(NodeId infoHash, int port);

    /** The immutable item stored under {@code target}, verified against it; empty if none was found. */
    CompletableFuture<Optional<ImmutableItem>> getImmutable(NodeId target);

    /**
     * The valid mutable item of {@code publicKey} under {@code salt} (empty array: no salt) with the
     * highest seq among the closest nodes; completes after the whole lookup.
     */
    CompletableFuture<Optional<MutableItem>> getMutable(Ed25519PublicKey publicKey, byte[] salt);

    /**
     * Every distinct valid version of a mutable item seen among the closest nodes, highest seq first
     * (equal seqs: greater value first). Normally one; more when writers raced and storing nodes
     * disagree, which a merging reader (Scout's synchronize) uses so that no version's update is lost.
     */
    default CompletableFuture<List<MutableItem>> getMutableVersions(Ed25519PublicKey publicKey, byte[] salt) {
        return getMutable(publicKey, salt).thenApply(found -> found.map(List::of).orElse(List.of()));
    }

    /** Stores an immutable item. */
    CompletableFuture<PutResult> putImmutable(ImmutableItem item);

    /**
     * Stores a signed mutable item without compare-and-swap. Fails with {@link PutConflictException}
     * when a storing node reports 302 (a newer seq is stored).
     */
    CompletableFuture<PutResult> putMutable(MutableItem item);

    /**
     * Stores a signed mutable item only where the stored seq is still {@code cas} (BEP 44
     * compare-and-swap). Fails with {@link PutConflictException} when a storing node reports 301 or 302.
     */
    CompletableFuture<PutResult> putMutable(MutableItem item, long cas);

    /**
     * Reads the current item and stores {@code bencodedValue} with seq = highest seen + 1 and cas =
     * highest seen (no cas when nothing exists), signed by {@code keys}.
     */
    CompletableFuture<PutResult> putMutable(Ed25519KeyPair keys, byte[] salt, byte[] bencodedValue);
}
