package dev.scout.node;

import dev.scout.node.loops.AppLoops;
import dev.scout.dht.udp.DualStackNode;
import dev.scout.node.portmap.PortMapper;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * A node's port mapping (docs/operations.md, "Port mapping"): whether it maps at all, the
 * {@link PortMapper} for its IPv4 DHT port, and what a new, changed or lost mapping does to the node —
 * the DHT served normally (not read-only) while mapped, the device entries republished within a second.
 */
final class NodePortMapping implements AutoCloseable {
    private final DualStackNode dht;
    private final NodeEvents events;
    private final AppLoops loops;
    private final PortMapper mapper;

    /** Starts mapping in the background when asked for and on a real network; else holds nothing. */
    NodePortMapping(ScoutNodeBuilder b, DualStackNode dht, NodeEvents events, AppLoops loops) {
        this.dht = dht;
        this.events = events;
        this.loops = loops;
        this.mapper = maps(b, dht) ? PortMapper.forDefaultGateway(dht.ipv4().orElseThrow().localAddress().getPort(),
                this::changed) : null;
        if (mapper != null) {
            mapper.start();
        }
    }

    /**
     * Whether to map the IPv4 DHT port: asked for, and a node on a real network (not bound to loopback
     * nor bootstrapping from loopback addresses only, as a test network does).
     */
    private static boolean maps(ScoutNodeBuilder b, DualStackNode dht) {
        if (!b.portMapping() || dht.ipv4().isEmpty() || dht.ipv4().get().localAddress().getAddress().isLoopbackAddress()) {
            return false;
        }
        List<String> bootstrap = dht.ipv4().get().config().bootstrap();
        return bootstrap.isEmpty() || !bootstrap.stream().allMatch(h -> h.startsWith("127.") || h.startsWith("localhost"));
    }

    Optional<PortMapping> current() {
        return mapper == null ? Optional.empty() : mapper.current().map(c -> new PortMapping(c.protocol(), c.external(),
                Optional.ofNullable(c.expires())));
    }

    Optional<InetSocketAddress> external() {
        return current().map(PortMapping::external);
    }

    void remap() {
        if (mapper != null) {
            mapper.remap();
        }
    }

    private void changed() {
        Optional<PortMapping> m = current();
        events.publish(new NodeEvent.ReachabilityChanged(m.map(p -> "port mapping: " + p.protocol() + " maps "
                + p.external().getAddress().getHostAddress() + ":" + p.external().getPort()).orElse("port mapping: none")));
        if (m.isPresent()) {
            dht.ipv4().ifPresent(n -> n.setReadOnly(false));
        }
        loops.republishSoon();
    }

    /** Deletes the mapping (at most 2 s against a silent router): no mapping outlives the node. */
    @Override
    public void close() {
        if (mapper != null) {
            mapper.close();
        }
    }
}
