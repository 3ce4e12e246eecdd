package dev.scout.dht.udp;

import dev.scout.dht.Addresses;
import dev.scout.dht.AnnounceResult;
import dev.scout.dht.DatagramFilter;
import dev.scout.dht.Dht;
import dev.scout.dht.DhtConfig;
import dev.scout.dht.DhtException;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.Ed25519PublicKey;
import dev.scout.dht.ImmutableItem;
import dev.scout.dht.MutableItem;
import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.NodeStats;
import dev.scout.dht.PutResult;
import dev.scout.dht.SendFailure;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One DHT node serving both address families (BEP 32): an IPv4 {@link DhtNode} and an IPv6 one, each
 * with its own socket, routing table, external address and BEP 42 id, joined so that each answers
 * {@code want} for the other family. Either family may be absent (an IPv4-only or IPv6-only host).
 * Operations run in every family that has joined the DHT and merge: lookups return the union, a
 * mutable get the highest valid seq across families, a put reports the nodes that stored it in both.
 *
 * <pre>{@code
 * try (DualStackNode dht = DualStackNode.start(v4Config, v6Config)) {
 *     dht.bootstrapped().join();   // either family joined
 *     Optional<MutableItem> item = dht.getMutable(key, salt).join();
 * }
 * }</pre>
 */
public final class DualStackNode implements Dht, AutoCloseable {
    private final DhtNode ipv4;
    private final DhtNode ipv6;
    private final SeqsRead seqsRead = new SeqsRead();

    private DualStackNode(DhtNode ipv4, DhtNode ipv6) {
        this.ipv4 = ipv4;
        this.ipv6 = ipv6;
    }

    /**
     * Starts a node per non-null config ({@code v4} must bind an IPv4 address, {@code v6} an IPv6 one).
     * When both name the same non-zero port they share it.
     *
     * @param v4 the IPv4 node's config, or {@code null} for no IPv4
     * @param v6 the IPv6 node's config, or {@code null} for no IPv6
     * @return the running node; its I/O threads run until {@link #close()}
     * @throws IllegalArgumentException if both are {@code null} or a config binds the wrong family
     * @throws IOException if a socket cannot be bound
     */
    public static DualStackNode start(DhtConfig v4, DhtConfig v6) throws IOException {
        if (v4 == null && v6 == null) {
            throw new IllegalArgumentException("need at least one address family");
        }
        if (v4 != null && v4.bindAddress().getAddress() instanceof Inet6Address
                || v6 != null && !(v6.bindAddress().getAddress() instanceof Inet6Address)) {
            throw new IllegalArgumentException("the IPv4 config must bind IPv4 and the IPv6 config IPv6");
        }
        boolean shared = v4 != null && v6 != null && v4.bindAddress().getPort() != 0
                && v4.bindAddress().getPort() == v6.bindAddress().getPort();
        DhtNode a = v4 == null ? null : DhtNode.start(v4, shared);
        DhtNode b;
        try {
            b = v6 == null ? null : DhtNode.start(v6, shared);
        } catch (IOException | RuntimeException e) {
            if (a != null) {
                a.close();
            }
            throw e;
        }
        if (a != null && b != null) {
            a.pairWith(b);
            b.pairWith(a);
        }
        return new DualStackNode(a, b);
    }

    /** {@return the IPv4 node, if this node has that family} */
    public Optional<DhtNode> ipv4() {
        return Optional.ofNullable(ipv4);
    }

    /** {@return the IPv6 node, if this node has that family} */
    public Optional<DhtNode> ipv6() {
        return Optional.ofNullable(ipv6);
    }

    /** {@return the family nodes (one or two), IPv4 first} */
    public List<DhtNode> families() {
        List<DhtNode> out = new ArrayList<>(2);
        if (ipv4 != null) {
            out.add(ipv4);
        }
        if (ipv6 != null) {
            out.add(ipv6);
        }
        return out;
    }

    /** {@return the bound socket addresses, IPv4 first} */
    public List<InetSocketAddress> localAddresses() {
        return families().stream().map(DhtNode::localAddress).toList();
    }

    /** {@return the first bound socket address (IPv4 when present)} */
    public InetSocketAddress localAddress() {
        return families().get(0).localAddress();
    }

    /**
     * Completes once every family has finished bootstrapping and at least one has joined, so that the
     * operations that follow run in every family that can (a family with no route fails at once); fails
     * when every family failed, with each family's reason (e.g. "no IPv6 route to …").
     *
     * @return the joint bootstrap: done when at least one family joined
     */
    public CompletableFuture<Void> bootstrapped() {
        List<CompletableFuture<Void>> each = families().stream().map(DhtNode::bootstrapped).toList();
        return CompletableFuture.allOf(each.stream().map(f -> f.handle((v, e) -> null)).toArray(CompletableFuture[]::new))
                .thenApply(ignored -> {
                    List<String> errors = new ArrayList<>();
                    for (CompletableFuture<Void> f : each) {
                        if (!f.isCompletedExceptionally()) {
                            return null; // at least one family joined
                        }
                        errors.add(f.handle((v, e) -> LoopCalls.unwrap(e).getMessage()).join());
                    }
                    throw new DhtException(String.join("; ", errors));
                });
    }

    /** {@return whether every family is cut off from the DHT now (see {@link DhtNode#offline()})} */
    public boolean offline() {
        return families().stream().allMatch(DhtNode::offline);
    }

    /**
     * Hears, on a callback thread, whether the node as a whole is online (some family reaches the DHT)
     * each time a family's outage begins or ends; the same value may come twice in a row.
     *
     * @param listener called with {@code true} while some family is online
     */
    public void onConnectivityChange(java.util.function.Consumer<Boolean> listener) {
        families().forEach(f -> f.onConnectivityChange(ignored -> listener.accept(!offline())));
    }

    /** Tells every family that the local network changed (see {@link DhtNode#networkChanged()}). */
    public void networkChanged() {
        families().forEach(DhtNode::networkChanged);
    }

    /** {@return the external address each family's voters agree on, IPv4 first; families without one are left out} */
    public CompletableFuture<List<InetSocketAddress>> externalAddresses() {
        return FamilyResults.all(families(), DhtNode::externalAddress)
                .thenApply(list -> list.stream().flatMap(Optional::stream).toList());
    }

    /** {@return a snapshot of both routing tables, IPv4 contacts first} */
    public CompletableFuture<List<NodeInfo>> routingTable() {
        return FamilyResults.all(families(), DhtNode::routingTable)
                .thenApply(list -> list.stream().flatMap(List::stream).toList());
    }

    /** {@return the counters, summed over the families} */
    public CompletableFuture<NodeStats> stats() {
        return FamilyResults.all(families(), DhtNode::stats).thenApply(list -> list.stream().reduce((a, b) -> new NodeStats(
                a.received() + b.received(), a.sent() + b.sent(), a.malformed() + b.malformed(),
                a.queriesAnswered() + b.queriesAnswered(), a.timeouts() + b.timeouts(),
                a.invalidItems() + b.invalidItems(), a.routingTableSize() + b.routingTableSize(),
                a.storedItems() + b.storedItems(), a.storedPeers() + b.storedPeers())).orElseThrow());
    }

    /** {@return the most recent send the operating system refused, in any family (IPv4 first)} */
    public Optional<SendFailure> lastSendFailure() {
        return families().stream().map(DhtNode::lastSendFailure).flatMap(Optional::stream).findFirst();
    }

    /**
     * Completes normally once every family's node has closed; exceptionally, with that family's
     * {@link DhtException}, as soon as either family's I/O loop dies (see {@link DhtNode#terminated()}).
     *
     * @return a future that never completes while the node runs normally
     */
    public CompletableFuture<Void> terminated() {
        CompletableFuture<Void> out = new CompletableFuture<>();
        List<CompletableFuture<Void>> each = families().stream().map(DhtNode::terminated).toList();
        each.forEach(f -> f.whenComplete((v, e) -> {
            if (e != null) {
                out.completeExceptionally(LoopCalls.unwrap(e));
            }
        }));
        CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenRun(() -> out.complete(null));
        return out;
    }

    /** {@return why a family's node stopped working, if its I/O loop died (IPv4 first)} */
    public Optional<DhtException> failure() {
        return families().stream().map(DhtNode::failure).flatMap(Optional::stream).findFirst();
    }

    /**
     * Lets another protocol (direct sessions) share this node's sockets: {@code filter} sees each
     * datagram of either family before KRPC decoding; {@code null} removes it. Per family: {@link
     * #ipv4()}/{@link #ipv6()} and {@link DhtNode#setDatagramFilter}.
     *
     * @param filter called on the families' I/O threads, so it must be quick and thread-safe; or {@code null}
     */
    public void setDatagramFilter(DatagramFilter filter) {
        families().forEach(n -> n.setDatagramFilter(filter));
    }

    /**
     * Sends a datagram from the socket of {@code to}'s family (dropped, like the network, without one).
     *
     * @param datagram the bytes to send
     * @param to the destination; its family picks the socket
     */
    public void sendDatagram(byte[] datagram, InetSocketAddress to) {
        DhtNode n = to.getAddress() instanceof Inet6Address ? ipv6 : ipv4;
        if (n != null) {
            n.sendDatagram(datagram, to);
        }
    }

    // ---- Dht ---------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<NodeId> ping(InetSocketAddress address) {
        DhtNode n = address.getAddress() instanceof Inet6Address ? ipv6 : ipv4;
        if (n == null) {
            return CompletableFuture.failedFuture(new DhtException("no "
                    + (address.getAddress() instanceof Inet6Address ? "IPv6" : "IPv4") + " socket to reach "
                    + Addresses.format(address)));
        }
        return n.ping(address);
    }

    @Override
    public CompletableFuture<List<NodeInfo>> findNode(NodeId target) {
        return each(n -> n.findNode(target)).thenApply(lists -> lists.stream().flatMap(List::stream)
                .sorted((a, b) -> target.compareDistance(a.id(), b.id())).toList());
    }

    @Override
    public CompletableFuture<List<InetSocketAddress>> getPeers(NodeId infoHash) {
        return each(n -> n.getPeers(infoHash)).thenApply(lists -> List.copyOf(
                new LinkedHashSet<>(lists.stream().flatMap(List::stream).toList())));
    }

    @Override
    public CompletableFuture<AnnounceResult> announce(NodeId infoHash, int port) {
        return each(n -> n.announce(infoHash, port)).thenApply(rs -> new AnnounceResult(
                rs.stream().mapToInt(AnnounceResult::stored).sum(),
                List.copyOf(new LinkedHashSet<>(rs.stream().flatMap(r -> r.peers().stream()).toList()))));
    }

    @Override
    public CompletableFuture<Optional<ImmutableItem>> getImmutable(NodeId target) {
        // Every value was verified against the target, so any family's copy is the item.
        return each(n -> n.getImmutable(target))
                .thenApply(rs -> rs.stream().flatMap(Optional::stream).findFirst());
    }

    @Override
    public CompletableFuture<Optional<MutableItem>> getMutable(Ed25519PublicKey publicKey, byte[] salt) {
        return getMutableVersions(publicKey, salt).thenApply(versions -> versions.stream().findFirst());
    }

    /**
     * Every family's versions, merged. What each family held is remembered (see {@link SeqsRead}) so that
     * a following compare-and-swap put names, in each family, the version read there.
     */
    @Override
    public CompletableFuture<List<MutableItem>> getMutableVersions(Ed25519PublicKey publicKey, byte[] salt) {
        NodeId target = MutableItem.target(publicKey, salt);
        List<DhtNode> nodes = available();
        List<CompletableFuture<List<MutableItem>>> reads = nodes.stream()
                .map(n -> n.getMutableVersions(publicKey, salt)).toList();
        return FamilyResults.all(reads).thenApply(rs -> {
            Map<DhtNode, Long> highest = new LinkedHashMap<>();
            Map<String, MutableItem> distinct = new LinkedHashMap<>();
            for (int i = 0; i < nodes.size(); i++) {
                List<MutableItem> versions = rs.get(i);
                if (versions == null) {
                    continue; // that family failed; the other answered
                }
                highest.put(nodes.get(i), versions.stream().map(MutableItem::seq).max(Long::compare).orElse(null));
                versions.forEach(v -> distinct.putIfAbsent(v.seq() + ":" + Arrays.toString(v.value()), v));
            }
            seqsRead.remember(target, highest);
            return distinct.values().stream().sorted(FamilyResults.NEWEST_LAST.reversed()).toList();
        });
    }

    @Override
    public CompletableFuture<PutResult> putImmutable(ImmutableItem item) {
        return each(n -> n.putImmutable(item)).thenApply(FamilyResults::merge);
    }

    /**
     * Puts in every family. When {@code cas} is the merged seq of the last read of this item, each family
     * is asked to swap out the version read <em>there</em> (a family may lag behind the other: its
     * holders never saw the newer version, and refusing them would keep the families apart forever).
     */
    @Override
    public CompletableFuture<PutResult> putMutable(MutableItem item) {
        return putEverywhere(item, null);
    }

    @Override
    public CompletableFuture<PutResult> putMutable(MutableItem item, long cas) {
        return putEverywhere(item, cas);
    }

    private CompletableFuture<PutResult> putEverywhere(MutableItem item, Long cas) {
        List<DhtNode> nodes = available();
        Map<DhtNode, Long> read = cas == null ? null : seqsRead.forCas(item.target(), cas);
        List<CompletableFuture<PutResult>> puts = nodes.stream().map(n -> {
            Long familyCas = read != null && read.containsKey(n) ? read.get(n) : cas;
            return familyCas == null ? n.putMutable(item) : n.putMutable(item, familyCas);
        }).toList();
        return FamilyResults.combinePuts(puts);
    }

    @Override
    public CompletableFuture<PutResult> putMutable(Ed25519KeyPair signer, byte[] salt, byte[] value) {
        // The seq must exceed the highest seen in either family, or one family would refuse the put.
        return getMutable(signer.publicKey(), salt).thenCompose(found -> {
            Long cas = found.map(MutableItem::seq).orElse(null);
            long seq = cas == null ? 1 : cas + 1;
            return putEverywhere(MutableItem.sign(signer, salt, seq, value), cas);
        });
    }

    /**
     * The families that joined the DHT — by bootstrapping, or by contacts the other family learned for
     * them (BEP 32 {@code want}); all of them while none has (so a standalone node still works).
     */
    private List<DhtNode> available() {
        List<DhtNode> joined = families().stream().filter(n -> {
            CompletableFuture<Void> b = n.bootstrapped();
            FamilySnapshot s = n.sibling().snapshot();
            return b.isDone() && !b.isCompletedExceptionally() || s != null && s.size() > 0;
        }).toList();
        return joined.isEmpty() ? families() : joined;
    }

    /** Runs {@code op} in every available family; the successful results, or the first error if all failed. */
    private <T> CompletableFuture<List<T>> each(Function<DhtNode, CompletableFuture<T>> op) {
        return FamilyResults.all(available(), op);
    }

    /** Closes both families (each saves its routing table). */
    @Override
    public void close() {
        try {
            if (ipv6 != null) {
                ipv6.close();
            }
        } finally {
            if (ipv4 != null) {
                ipv4.close();
            }
        }
    }
}
