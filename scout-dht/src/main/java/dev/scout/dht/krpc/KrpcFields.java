package dev.scout.dht.krpc;

import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.bencode.Bencode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Typed, validating access to one dictionary of a KRPC message being decoded. */
final class KrpcFields {
    final Map<String, Object> map;
    final byte[] t;
    final boolean query;

    KrpcFields(Map<String, Object> map, byte[] t, boolean query) {
        this.map = map;
        this.t = t;
        this.query = query;
    }

    KrpcDecodeException error(String message) {
        return new KrpcDecodeException(message, t, query, KrpcError.PROTOCOL);
    }

    byte[] bytes(String key) throws KrpcDecodeException {
        Object o = map.get(key);
        if (o instanceof byte[] b) {
            return b;
        }
        throw error(o == null ? "missing '" + key + "'" : "'" + key + "' is not a byte string");
    }

    byte[] optBytes(String key) {
        return map.get(key) instanceof byte[] b ? b : null;
    }

    Long optLong(String key) {
        return map.get(key) instanceof Long l ? l : null;
    }

    @SuppressWarnings("unchecked")
    List<Object> optList(String key) {
        return map.get(key) instanceof List<?> l ? (List<Object>) l : null;
    }

    KrpcFields dict(String key) throws KrpcDecodeException {
        Object o = map.get(key);
        if (o instanceof Map<?, ?> m) {
            return new KrpcFields(KrpcCodec.cast(m), t, query);
        }
        throw error(o == null ? "missing '" + key + "'" : "'" + key + "' is not a dictionary");
    }

    NodeId id(String key) throws KrpcDecodeException {
        byte[] b = bytes(key);
        if (b.length != NodeId.LENGTH) {
            throw error("'" + key + "' must be 20 bytes");
        }
        return NodeId.of(b);
    }

    NodeId optId(String key) {
        byte[] b = optBytes(key);
        return b != null && b.length == NodeId.LENGTH ? NodeId.of(b) : null;
    }

    byte[] token(String key) throws KrpcDecodeException {
        byte[] b = bytes(key);
        if (b.length > KrpcCodec.MAX_TOKEN) {
            throw error("token too long");
        }
        return b;
    }

    /** The bencoded form of a value; canonical input makes this the received bytes exactly. */
    byte[] rawValue(String key) throws KrpcDecodeException {
        Object o = map.get(key);
        if (o == null) {
            throw error("missing '" + key + "'");
        }
        return Bencode.encode(o);
    }

    List<NodeInfo> nodes(String key, int stride) throws KrpcDecodeException {
        byte[] b = optBytes(key);
        if (b == null) {
            return List.of();
        }
        if (b.length % stride != 0) {
            throw error("'" + key + "' length is not a multiple of " + stride);
        }
        return KrpcCodec.parseCompactNodes(b, stride);
    }

    Want want() {
        List<Object> w = optList("want");
        if (w == null) {
            return Want.UNSPECIFIED;
        }
        boolean v4 = false;
        boolean v6 = false;
        for (Object o : w) {
            if (o instanceof byte[] b) {
                String s = new String(b, StandardCharsets.ISO_8859_1);
                v4 |= s.equals("n4");
                v6 |= s.equals("n6");
            }
        }
        return new Want(v4, v6);
    }
}
