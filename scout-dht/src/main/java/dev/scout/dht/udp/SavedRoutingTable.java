package dev.scout.dht.udp;

import dev.scout.dht.routing.Bep42;
import dev.scout.dht.DhtConfig;
import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.node.NodeCore;
import dev.scout.dht.routing.RoutingEntry;
import dev.scout.dht.routing.RoutingTableFile;
import dev.scout.dht.transport.UdpTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The node's routing table on disk: read once at start, written periodically and on close. The
 * saving methods run on the node's I/O loop only, like everything that touches {@link NodeCore}.
 */
final class SavedRoutingTable {
    private static final Logger LOG = LoggerFactory.getLogger(DhtNode.class);

    private final DhtConfig config;
    private final NodeCore core;

    SavedRoutingTable(DhtConfig config, NodeCore core) {
        this.config = config;
        this.core = core;
    }

    /** The saved state, or empty if there is none or it cannot be read (then it is ignored with a warning). */
    static Optional<RoutingTableFile.State> load(DhtConfig config) {
        if (config.stateStore() != null) {
            try {
                Optional<byte[]> data = config.stateStore().load();
                if (data.isPresent()) {
                    return Optional.of(RoutingTableFile.decode(data.get()));
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("ignoring unreadable routing table {}: {}", config.stateStore(), e.getMessage());
            }
        }
        return Optional.empty();
    }

    /**
     * The saved id, unless other nodes have told us an external IP it does not match under BEP 42 (then
     * a fresh valid id, so verifying nodes keep us in their tables); a random id on first start.
     */
    static NodeId chooseId(Optional<RoutingTableFile.State> saved) {
        if (saved.isEmpty()) {
            return NodeId.random();
        }
        RoutingTableFile.State s = saved.get();
        if (s.externalAddress() != null && !Bep42.isValid(s.id(), s.externalAddress().getAddress())) {
            NodeId fresh = Bep42.idFor(s.externalAddress().getAddress(), new SecureRandom());
            LOG.info("node id does not match external address {} (BEP 42); using {}", s.externalAddress(), fresh);
            return fresh;
        }
        return s.id();
    }

    /** The saved nodes of {@code local}'s address family (a dual-stack node saves one table per family). */
    static List<NodeInfo> nodesOfFamily(Optional<RoutingTableFile.State> saved, InetSocketAddress local) {
        boolean ipv6 = local.getAddress() instanceof Inet6Address;
        return saved.map(st -> st.nodes().stream()
                        .filter(n -> (n.address().getAddress() instanceof Inet6Address) == ipv6).toList())
                .orElse(List.of());
    }

    /** Saves every {@code saveIntervalMillis} from now on (on the loop). */
    void schedulePeriodicSave() {
        if (config.stateStore() == null) {
            return;
        }
        core.schedule(core.now() + config.saveIntervalMillis(), () -> {
            saveOnLoop();
            schedulePeriodicSave();
        });
    }

    /** Writes the table now (on the loop). */
    void saveOnLoop() {
        if (config.stateStore() == null || core.routingTable().size() == 0) {
            return; // never overwrite a good table with an empty one
        }
        List<NodeInfo> nodes = core.routingTable().entries().stream().map(RoutingEntry::node).toList();
        try {
            config.stateStore().save(RoutingTableFile.encode(new RoutingTableFile.State(core.ownId(), nodes, core.externalAddress())));
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not save routing table to {}: {}", config.stateStore(), e.getMessage());
        }
    }

    /** Writes the table on the loop and waits for it, at most 5 s (from {@code close}, off the loop). */
    void saveBeforeClose(UdpTransport transport) {
        CompletableFuture<Void> saved = new CompletableFuture<>();
        transport.execute(() -> {
            try {
                saveOnLoop();
            } finally {
                saved.complete(null);
            }
        });
        try {
            saved.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("saving on close", e);
        }
    }
}
