package dev.scout.dht.udp;

import dev.scout.dht.NodeInfo;
import dev.scout.dht.node.DhtOperations;
import dev.scout.dht.node.NodeCore;
import dev.scout.dht.routing.RoutingEntry;
import dev.scout.dht.transport.UdpTransport;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * One node's half of a dual-stack pairing (see {@link DhtNode#pairWith}): publishing this family's
 * table for the sibling and pinging the contacts the sibling hands over. The work runs on the owning
 * node's I/O loop.
 */
final class SiblingSupport {
    private final UdpTransport transport;
    private final NodeCore core;
    private final DhtOperations ops;
    private final BooleanSupplier closed;
    /** This node's contacts for a dual-stack sibling's {@code want} answers; null when single-family. */
    private volatile FamilySnapshot snapshot;

    SiblingSupport(UdpTransport transport, NodeCore core, DhtOperations ops, BooleanSupplier closed) {
        this.transport = transport;
        this.core = core;
        this.ops = ops;
        this.closed = closed;
    }

    /** {@return the nodes in {@code core}'s routing table} */
    static List<NodeInfo> tableNodes(NodeCore core) {
        return core.routingTable().entries().stream().map(RoutingEntry::node).toList();
    }

    /** Pairs this node with {@code other}, its sibling of the other family (see {@link DhtNode#pairWith}). */
    void pairWith(DhtNode other, CompletableFuture<Void> bootstrapped) {
        FamilySnapshot mine = new FamilySnapshot();
        snapshot = mine;
        transport.execute(() -> publishEverySecond(mine));
        // and at once when the table has filled, rather than up to a second later
        bootstrapped.thenRun(() -> transport.execute(() -> mine.publish(tableNodes(core))));
        transport.execute(() -> core.sibling(new FamilySnapshot.Sibling(other)));
    }

    /** The published table, for the sibling (null unless paired). */
    FamilySnapshot snapshot() {
        return snapshot;
    }

    /** Pings contacts of our family that the sibling heard of, while our table is thin. */
    void learned(List<NodeInfo> contacts) {
        transport.execute(() -> {
            if (!closed.getAsBoolean()) {
                pingLearned(contacts);
            }
        });
    }

    /** Publishes the routing table for the sibling's loop to read, now and every second. */
    private void publishEverySecond(FamilySnapshot target) {
        target.publish(tableNodes(core));
        core.schedule(core.now() + 1_000, () -> publishEverySecond(target));
    }

    private void pingLearned(List<NodeInfo> contacts) {
        if (core.routingTable().size() >= FamilySnapshot.THIN) {
            return;
        }
        int budget = 8;
        for (NodeInfo n : contacts) {
            if (budget-- == 0 || core.pendingRequests() > 256) {
                break;
            }
            if (core.routingTable().entry(n.id()).isEmpty()) {
                ops.ping(n.address()); // answers enter the table like any verified node
            }
        }
    }
}
