package dev.scout.dht.routing;

import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.bencode.Bencode;
import dev.scout.dht.bencode.BencodeException;
import dev.scout.dht.bencode.BencodeLimits;
import dev.scout.dht.krpc.KrpcCodec;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Saves and loads a node's id and routing table as a small bencoded file, so a restarted node rejoins
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

    /** A {@link RoutingTableStore} backed by {@code file}. */
    public static RoutingTableStore store(Path file) {
        return new RoutingTableStore() {
            @Override
            public Optional<State> load() throws IOException {
                return RoutingTableFile.load(file);
            }

            @Override
            public void save(State state) throws IOException {
                RoutingTableFile.save(file, state.id(), state.nodes(), state.externalAddress());
            }

            @Override
            public String toString() {
                return file.toString();
            }
        };
    }

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
        writeAtomically(file, encode(new State(id, nodes, externalAddress)));
    }

    /** Writes via a synced temporary file and an atomic rename. */
    public static void writeAtomically(Path file, byte[] data) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(data));
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Loads a saved state; empty when the file is missing. A corrupt file is an IOException. */
    public static Optional<State> load(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        if (Files.size(file) > LIMITS.maxLength()) {
            throw new IOException(file + " is too large to be a routing table");
        }
        try {
            return Optional.of(decode(Files.readAllBytes(file)));
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
