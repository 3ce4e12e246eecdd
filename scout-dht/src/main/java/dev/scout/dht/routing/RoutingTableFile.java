package dev.scout.dht.routing;

import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.RoutingTableStore;
import dev.scout.dht.bencode.Bencode;
import dev.scout.dht.bencode.BencodeException;
import dev.scout.dht.bencode.BencodeLimits;
import dev.scout.dht.krpc.KrpcCodec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Encodes a node's id and routing table as a small bencoded blob (kept by a {@link RoutingTableStore}), so a restarted node rejoins
 * through the nodes it knew instead of the routers. Writes go to a temporary file that is synced and
 * atomically renamed, so a crash leaves either the old or the new file, never a torn one.
 */
public final class RoutingTableFile {
    private static final BencodeLimits LIMITS = new BencodeLimits(4, 16, 1 << 20);

    /** What was saved. */
    /** @param externalAddress our address as other nodes last reported it, or null */
    public record State(NodeId id, List<NodeInfo> nodes, java.net.InetSocketAddress externalAddress) {
    }

    private RoutingTableFile() {}

    /** Encodes a state as the bytes of a routing table file. */
    public static byte[] encode(State state) {
        List<NodeInfo> v4 = state.nodes().stream().filter(n -> n.address().getAddress().getAddress().length == 4).toList();
        List<NodeInfo> v6 = state.nodes().stream().filter(n -> n.address().getAddress().getAddress().length == 16).toList();
        return Bencode.encode(Bencode.dict("format", 1L, "id", state.id().bytes(),
                "nodes", KrpcCodec.compactNodes(v4), "nodes6", KrpcCodec.compactNodes(v6),
                "ip", state.externalAddress() == null ? null : dev.scout.dht.Addresses.compact(state.externalAddress())));
    }

    public static void save(Path file, NodeId id, List<NodeInfo> nodes) throws IOException {
        save(file, id, nodes, null);
    }

    public static void save(Path file, NodeId id, List<NodeInfo> nodes, java.net.InetSocketAddress externalAddress)
            throws IOException {
        RoutingTableStore.file(file).save(encode(new State(id, nodes, externalAddress)));
    }

    /** Loads a saved state; empty when the file is missing. A corrupt file is an IOException. */
    public static Optional<State> load(Path file) throws IOException {
        Optional<byte[]> data = RoutingTableStore.file(file).load();
        if (data.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(decode(data.get()));
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Decodes the bytes of a routing table file; bounded, so hostile bytes are only an IOException. */
    public static State decode(byte[] data) throws IOException {
        try {
            Object root = Bencode.decode(data, LIMITS);
            if (!(root instanceof Map<?, ?> map) || !(map.get("id") instanceof byte[] id) || id.length != NodeId.LENGTH) {
                throw new IOException("not a routing table");
            }
            List<NodeInfo> nodes = new ArrayList<>();
            if (map.get("nodes") instanceof byte[] b && b.length % 26 == 0) {
                nodes.addAll(KrpcCodec.parseCompactNodes(b, 26));
            }
            if (map.get("nodes6") instanceof byte[] b && b.length % 38 == 0) {
                nodes.addAll(KrpcCodec.parseCompactNodes(b, 38));
            }
            java.net.InetSocketAddress ip = null;
            if (map.get("ip") instanceof byte[] b && (b.length == 6 || b.length == 18)) {
                ip = dev.scout.dht.Addresses.fromCompact(b, 0, b.length);
            }
            return new State(NodeId.of(id), nodes, ip);
        } catch (BencodeException e) {
            throw new IOException("corrupt routing table: " + e.getMessage(), e);
        }
    }
}
