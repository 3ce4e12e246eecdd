package dev.scout.dht.krpc;

import dev.scout.dht.Addresses;
import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.bencode.Bencode;
import dev.scout.dht.bencode.BencodeException;
import dev.scout.dht.bencode.BencodeLimits;
import dev.scout.dht.bencode.RawValue;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Translates between datagrams and typed {@link KrpcMessage}s. Decoding is bounded by
 * {@link BencodeLimits#KRPC} and tolerant in the ways BEP 5 asks: unknown keys are ignored, unknown
 * methods are kept as {@link Query.Unknown}.
 *
 * <pre>{@code
 * byte[] wire = KrpcCodec.encode(new KrpcQuery(tid, ownId, new Query.Ping(), false, null));
 * KrpcMessage msg = KrpcCodec.decode(wire);
 * }</pre>
 */
public final class KrpcCodec {
    /** The {@code v} field we send: "SC" and a two-byte version. */
    public static final byte[] CLIENT_VERSION = {'S', 'C', 0, 1};
    private static final int MAX_TRANSACTION_ID = 32;
    static final int MAX_TOKEN = 64;

    private KrpcCodec() {}

    public static KrpcMessage decode(byte[] datagram) throws KrpcDecodeException {
        return decode(datagram, 0, datagram.length);
    }

    public static KrpcMessage decode(byte[] datagram, int offset, int length) throws KrpcDecodeException {
        Object root;
        try {
            root = Bencode.decode(datagram, offset, length, BencodeLimits.KRPC);
        } catch (BencodeException e) {
            throw new KrpcDecodeException("invalid bencoding: " + e.getMessage(), null, false, KrpcError.PROTOCOL);
        }
        if (!(root instanceof Map<?, ?> rawMap)) {
            throw new KrpcDecodeException("message is not a dictionary", null, false, KrpcError.PROTOCOL);
        }
        KrpcFields msg = new KrpcFields(cast(rawMap), null, false);
        byte[] t = msg.bytes("t");
        if (t.length > MAX_TRANSACTION_ID) {
            throw new KrpcDecodeException("transaction id too long", null, false, KrpcError.PROTOCOL);
        }
        byte[] y = msg.bytes("y");
        String type = new String(y, StandardCharsets.ISO_8859_1);
        switch (type) {
            case "q" -> {
                KrpcFields q = new KrpcFields(msg.map, t, true);
                return decodeQuery(q, t);
            }
            case "r" -> {
                return decodeResponse(new KrpcFields(msg.map, t, false), t);
            }
            case "e" -> {
                return decodeError(msg, t);
            }
            default -> throw new KrpcDecodeException("unknown message type '" + type + "'", t, false, KrpcError.PROTOCOL);
        }
    }

    private static KrpcQuery decodeQuery(KrpcFields msg, byte[] t) throws KrpcDecodeException {
        String method = new String(msg.bytes("q"), StandardCharsets.ISO_8859_1);
        KrpcFields a = msg.dict("a");
        NodeId sender = a.id("id");
        boolean readOnly = msg.optLong("ro") != null && msg.optLong("ro") == 1;
        byte[] version = msg.optBytes("v");
        Query query = switch (method) {
            case "ping" -> new Query.Ping();
            case "find_node" -> new Query.FindNode(a.id("target"), a.want());
            case "get_peers" -> new Query.GetPeers(a.id("info_hash"), a.want());
            case "announce_peer" -> {
                Long implied = a.optLong("implied_port");
                boolean impliedPort = implied != null && implied != 0;
                Long port = a.optLong("port");
                if (!impliedPort && (port == null || port < 1 || port > 65535)) {
                    throw a.error("announce_peer needs a port between 1 and 65535");
                }
                yield new Query.AnnouncePeer(a.id("info_hash"), port == null ? 0 : port.intValue(),
                        a.token("token"), impliedPort);
            }
            case "get" -> new Query.Get(a.id("target"), a.optLong("seq"), a.want());
            case "put" -> new Query.Put(a.token("token"), a.rawValue("v"), a.optBytes("k"), a.optBytes("sig"),
                    a.optBytes("salt"), a.optLong("seq"), a.optLong("cas"));
            default -> {
                NodeId target = a.optId("target");
                yield new Query.Unknown(method, target != null ? target : a.optId("info_hash"), a.want());
            }
        };
        return new KrpcQuery(t, sender, query, readOnly, version);
    }

    private static KrpcResponse decodeResponse(KrpcFields msg, byte[] t) throws KrpcDecodeException {
        KrpcFields r = msg.dict("r");
        NodeId sender = r.id("id");
        List<NodeInfo> nodes = r.nodes("nodes", 26);
        List<NodeInfo> nodes6 = r.nodes("nodes6", 38);
        List<InetSocketAddress> values = new ArrayList<>();
        List<Object> rawValues = r.optList("values");
        if (rawValues != null) {
            for (Object o : rawValues) {
                // Tolerate junk entries in values: skip them rather than discard the whole answer.
                if (o instanceof byte[] b && (b.length == 6 || b.length == 18)) {
                    InetSocketAddress peer = Addresses.fromCompact(b, 0, b.length);
                    if (peer.getPort() != 0) {
                        values.add(peer);
                    }
                }
            }
        }
        byte[] token = r.optBytes("token");
        if (token != null && token.length > MAX_TOKEN) {
            throw r.error("token too long");
        }
        byte[] v = r.map.containsKey("v") ? r.rawValue("v") : null;
        InetSocketAddress ip = null;
        byte[] ipBytes = msg.optBytes("ip");
        if (ipBytes != null && (ipBytes.length == 6 || ipBytes.length == 18)) {
            ip = Addresses.fromCompact(ipBytes, 0, ipBytes.length);
        }
        return new KrpcResponse(t, sender, nodes, nodes6, values, token, v, r.optBytes("k"), r.optBytes("sig"),
                r.optLong("seq"), ip, msg.optBytes("v"));
    }

    private static KrpcError decodeError(KrpcFields msg, byte[] t) throws KrpcDecodeException {
        List<Object> e = msg.optList("e");
        int code = KrpcError.GENERIC;
        String text = "";
        if (e != null && !e.isEmpty() && e.get(0) instanceof Long c) {
            code = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, c));
            if (e.size() > 1 && e.get(1) instanceof byte[] m) {
                text = new String(m, StandardCharsets.UTF_8);
            }
        } else if (e == null) {
            throw msg.error("error message without 'e' list");
        }
        return new KrpcError(t, code, text);
    }

    /** Encodes a message. Our own messages are always well formed, so this does not fail. */
    public static byte[] encode(KrpcMessage message) {
        if (message instanceof KrpcResponse r) {
            return ResponseEncoder.encode(r); // the server's hot path: written directly, no maps
        }
        return encodeWithMaps(message);
    }

    /** The generic encoder (message → sorted maps → bencode); the reference the direct writer must match. */
    static byte[] encodeWithMaps(KrpcMessage message) {
        Map<String, Object> root = new TreeMap<>();
        root.put("t", message.transactionId());
        root.put("v", CLIENT_VERSION);
        if (message instanceof KrpcQuery q) {
            root.put("y", Bencode.bytes("q"));
            root.put("q", Bencode.bytes(q.query().method()));
            root.put("a", queryArgs(q));
            if (q.readOnly()) {
                root.put("ro", 1L);
            }
        } else if (message instanceof KrpcResponse r) {
            root.put("y", Bencode.bytes("r"));
            root.put("r", responseBody(r));
            if (r.externalIp() != null) {
                root.put("ip", Addresses.compact(r.externalIp()));
            }
        } else if (message instanceof KrpcError e) {
            root.put("y", Bencode.bytes("e"));
            root.put("e", List.of((long) e.code(), Bencode.bytes(e.message())));
        }
        return Bencode.encode(root);
    }


    private static Map<String, Object> queryArgs(KrpcQuery q) {
        Map<String, Object> a = new TreeMap<>();
        a.put("id", q.sender().bytes());
        Query query = q.query();
        if (query instanceof Query.FindNode f) {
            a.put("target", f.target().bytes());
            putWant(a, f.want());
        } else if (query instanceof Query.GetPeers g) {
            a.put("info_hash", g.infoHash().bytes());
            putWant(a, g.want());
        } else if (query instanceof Query.AnnouncePeer ap) {
            a.put("info_hash", ap.infoHash().bytes());
            a.put("port", (long) ap.port());
            a.put("token", ap.token());
            if (ap.impliedPort()) {
                a.put("implied_port", 1L);
            }
        } else if (query instanceof Query.Get g) {
            a.put("target", g.target().bytes());
            putIfPresent(a, "seq", g.seq());
            putWant(a, g.want());
        } else if (query instanceof Query.Put p) {
            a.put("token", p.token());
            a.put("v", new RawValue(p.value()));
            putIfPresent(a, "k", p.key());
            putIfPresent(a, "sig", p.signature());
            putIfPresent(a, "salt", p.salt() != null && p.salt().length > 0 ? p.salt() : null);
            putIfPresent(a, "seq", p.seq());
            putIfPresent(a, "cas", p.cas());
        } else if (query instanceof Query.Unknown u && u.target() != null) {
            a.put("target", u.target().bytes());
        }
        return a;
    }

    /**
     * The response's contacts as [IPv4, IPv6]. A compact string holds one family (26 or 38 bytes per
     * node), so each node is routed by its address: a mixed list (a dual-stack routing table) must not
     * produce a 'nodes' nobody can parse. The common single-family case allocates nothing.
     */
    static List<List<NodeInfo>> byFamily(KrpcResponse r) {
        boolean mixed = r.nodes().stream().anyMatch(n -> !Addresses.isIpv4(n.address()))
                || r.nodes6().stream().anyMatch(n -> Addresses.isIpv4(n.address()));
        if (!mixed) {
            return List.of(r.nodes(), r.nodes6());
        }
        List<NodeInfo> v4 = new ArrayList<>();
        List<NodeInfo> v6 = new ArrayList<>();
        for (List<NodeInfo> list : List.of(r.nodes(), r.nodes6())) {
            for (NodeInfo n : list) {
                (Addresses.isIpv4(n.address()) ? v4 : v6).add(n);
            }
        }
        return List.of(v4, v6);
    }

    private static Map<String, Object> responseBody(KrpcResponse r) {
        Map<String, Object> body = new TreeMap<>();
        body.put("id", r.sender().bytes());
        List<List<NodeInfo>> families = byFamily(r);
        List<NodeInfo> v4 = families.get(0);
        List<NodeInfo> v6 = families.get(1);
        if (!v4.isEmpty()) {
            body.put("nodes", compactNodes(v4));
        }
        if (!v6.isEmpty()) {
            body.put("nodes6", compactNodes(v6));
        }
        if (!r.values().isEmpty()) {
            List<Object> values = new ArrayList<>(r.values().size());
            for (InetSocketAddress peer : r.values()) {
                values.add(Addresses.compact(peer));
            }
            body.put("values", values);
        }
        putIfPresent(body, "token", r.token());
        if (r.value() != null) {
            body.put("v", new RawValue(r.value()));
        }
        putIfPresent(body, "k", r.key());
        putIfPresent(body, "sig", r.signature());
        putIfPresent(body, "seq", r.seq());
        return body;
    }

    /** Concatenated compact node info: 20-byte id then 6 or 18 bytes of address. */
    public static byte[] compactNodes(List<NodeInfo> nodes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(nodes.size() * 26);
        for (NodeInfo n : nodes) {
            out.writeBytes(n.id().bytes());
            out.writeBytes(Addresses.compact(n.address()));
        }
        return out.toByteArray();
    }

    /** Parses concatenated compact node info of {@code stride} (26 or 38) bytes per node. */
    public static List<NodeInfo> parseCompactNodes(byte[] b, int stride) {
        List<NodeInfo> nodes = new ArrayList<>(b.length / stride);
        byte[] id = new byte[NodeId.LENGTH];
        for (int off = 0; off + stride <= b.length; off += stride) {
            System.arraycopy(b, off, id, 0, NodeId.LENGTH);
            InetSocketAddress address = Addresses.fromCompact(b, off + NodeId.LENGTH, stride - NodeId.LENGTH);
            if (address.getPort() != 0) {
                nodes.add(new NodeInfo(NodeId.of(id), address));
            }
        }
        return nodes;
    }

    private static void putWant(Map<String, Object> a, Want want) {
        if (want != null && want.specified()) {
            List<Object> w = new ArrayList<>(2);
            if (want.ipv4()) {
                w.add(Bencode.bytes("n4"));
            }
            if (want.ipv6()) {
                w.add(Bencode.bytes("n6"));
            }
            a.put("want", w);
        }
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

}
