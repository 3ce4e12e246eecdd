package dev.scout.dht.krpc;

import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * A response datagram. KRPC responses do not name their method, so this carries every field any of
 * the supported methods may return; absent ones are empty lists or null.
 *
 * @param sender        the responder's id ({@code r.id})
 * @param nodes         compact IPv4 contacts ({@code nodes})
 * @param nodes6        compact IPv6 contacts ({@code nodes6}, BEP 32)
 * @param values        peers for get_peers ({@code values})
 * @param token         write token for announce_peer / put
 * @param value         bencoded BEP 44 {@code v}
 * @param key           BEP 44 public key {@code k}
 * @param signature     BEP 44 {@code sig}
 * @param seq           BEP 44 {@code seq}
 * @param externalIp    BEP 42 {@code ip}: our address as the responder sees it
 * @param clientVersion {@code v} at the top level
 */
public record KrpcResponse(byte[] transactionId, NodeId sender, List<NodeInfo> nodes, List<NodeInfo> nodes6,
                           List<InetSocketAddress> values, byte[] token, byte[] value, byte[] key,
                           byte[] signature, Long seq, InetSocketAddress externalIp, byte[] clientVersion)
        implements KrpcMessage {

    public KrpcResponse {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
        nodes6 = nodes6 == null ? List.of() : List.copyOf(nodes6);
        values = values == null ? List.of() : List.copyOf(values);
    }

    /** A response carrying only the responder's id. */
    public static KrpcResponse simple(byte[] transactionId, NodeId sender) {
        return new KrpcResponse(transactionId, sender, null, null, null, null, null, null, null, null, null, null);
    }

    public KrpcResponse withExternalIp(InetSocketAddress ip, byte[] version) {
        return new KrpcResponse(transactionId, sender, nodes, nodes6, values, token, value, key, signature, seq, ip, version);
    }
}
