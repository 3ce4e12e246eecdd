package dev.scout.cli.api.dht;

import dev.scout.cli.api.ApiException;
import dev.scout.cli.api.ApiRequest;
import dev.scout.cli.api.ApiResponse;
import dev.scout.cli.api.Jackson;
import dev.scout.cli.api.Resource;
import dev.scout.cli.api.Route;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scout.dht.AnnounceResult;
import dev.scout.dht.Addresses;
import dev.scout.dht.Dht;
import dev.scout.dht.Ed25519PublicKey;
import dev.scout.dht.ImmutableItem;
import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.PutConflictException;
import dev.scout.dht.PutResult;
import dev.scout.dht.bencode.Bencode;
import dev.scout.dht.bencode.BencodeException;
import dev.scout.dht.bencode.BencodeLimits;
import dev.scout.dht.ItemException;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.Limits;
import dev.scout.dht.MutableItem;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /v1/dht/{ping,find-node,peers,announce,put,get}}: the {@code scout dht} operations on the
 * daemon's node, with the same JSON answers as {@code scout --json dht …}.
 */
public final class DhtResource implements Resource {
    static final long TIMEOUT_SECONDS = 120;
    private static final BencodeLimits VALUE_LIMITS = new BencodeLimits(64, 1_000, 64 * 1024);
    private final Dht node;

    /** Over any {@link Dht}: the daemon passes its dual-stack node, so each operation runs in both families. */
    public DhtResource(Dht node) {
        this.node = node;
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.post("/v1/dht/ping", r -> {
                    InetSocketAddress target = address(ApiRequest.text(r.json(), "address"));
                    NodeId id = await(node.ping(target), "ping " + Addresses.format(target));
                    return ApiResponse.ok(Jackson.object().put("node_id", id.toHex()).put("address", Addresses.format(target)));
                }),
                Route.post("/v1/dht/find-node", r -> {
                    List<NodeInfo> nodes = await(node.findNode(id(r.json(), "id")), "node lookup");
                    ArrayNode list = Jackson.array();
                    nodes.forEach(n -> list.add(Jackson.object().put("id", n.id().toHex()).put("address", Addresses.format(n.address()))));
                    return ApiResponse.ok(Jackson.object().set("nodes", list));
                }),
                Route.post("/v1/dht/peers", r -> {
                    List<InetSocketAddress> peers = await(node.getPeers(id(r.json(), "info_hash")), "peer lookup");
                    Set<String> unique = new LinkedHashSet<>();
                    peers.forEach(p -> unique.add(Addresses.format(p)));
                    ArrayNode list = Jackson.array();
                    unique.forEach(list::add);
                    return ApiResponse.ok(Jackson.object().set("peers", list));
                }),
                Route.post("/v1/dht/announce", r -> {
                    JsonNode body = r.json();
                    NodeId hash = id(body, "info_hash");
                    int port = body.path("port").asInt(0);
                    if (port < 0 || port > 65535 || body.has("port") && !body.get("port").canConvertToInt()) {
                        throw ApiException.badRequest("\"port\" must be 1..65535 (0 or absent: the implied port)");
                    }
                    AnnounceResult result = await(node.announce(hash, port), "announce");
                    if (result.stored() == 0) {
                        throw new ApiException(502, "announce failed: no node accepted the announcement of " + hash.toHex());
                    }
                    return ApiResponse.ok(Jackson.object().put("info_hash", hash.toHex()).put("stored", result.stored()));
                }),
                Route.post("/v1/dht/put", r -> put(r.json())),
                Route.post("/v1/dht/get", r -> get(r.json())));
    }

    private ApiResponse put(JsonNode body) {
        byte[] value = value(ApiRequest.text(body, "value"), body.path("bencoded").asBoolean(false));
        String seed = ApiRequest.optionalText(body, "seed");
        if (seed == null) {
            PutResult result = stored(await(node.putImmutable(ImmutableItem.ofBencoded(value)), "put"));
            return ApiResponse.ok(Jackson.object().put("target", result.target().toHex()).put("stored", result.stored()));
        }
        Ed25519KeyPair signer = Ed25519KeyPair.ofSeed(hex(seed, "seed", 32));
        byte[] salt = salt(body);
        Long seq = optionalLong(body, "seq");
        Long cas = optionalLong(body, "cas");
        Long signedSeq = seq != null ? seq : cas != null ? Long.valueOf(cas + 1) : null;
        CompletableFuture<PutResult> put = signedSeq == null ? node.putMutable(signer, salt, value)
                : cas == null ? node.putMutable(MutableItem.sign(signer, salt, signedSeq, value))
                : node.putMutable(MutableItem.sign(signer, salt, signedSeq, value), cas);
        PutResult result;
        try {
            result = stored(await(put, "put"));
        } catch (PutConflictException e) {
            throw new ApiException(409, "put rejected: " + e.getMessage());
        }
        return ApiResponse.ok(Jackson.object().put("target", result.target().toHex())
                .put("public_key", signer.publicKey().toHex()).put("seq", result.seq().orElseThrow())
                .put("stored", result.stored()));
    }

    private ApiResponse get(JsonNode body) {
        String key = ApiRequest.optionalText(body, "key");
        if (key == null) {
            NodeId t = id(body, "target");
            ImmutableItem v = await(node.getImmutable(t), "item lookup")
                    .orElseThrow(() -> new ApiException(404, "no_item", "no item found for " + t.toHex()));
            return ApiResponse.ok(Jackson.object().put("target", t.toHex()).put("value", render(v.value())));
        }
        Ed25519PublicKey publicKey = Ed25519PublicKey.of(hex(key, "key", 32));
        byte[] salt = salt(body);
        NodeId t = MutableItem.target(publicKey, salt);
        Optional<MutableItem> found = await(node.getMutable(publicKey, salt), "item lookup");
        MutableItem item = found.orElseThrow(() -> new ApiException(404, "no_item", "no item found for " + t.toHex()));
        ObjectNode out = Jackson.object().put("target", t.toHex()).put("value", render(item.value())).put("seq", item.seq());
        return ApiResponse.ok(out);
    }

    private static PutResult stored(PutResult result) {
        if (result.stored() == 0) {
            throw new ApiException(502, "put failed: no node stored the item");
        }
        return result;
    }

    /** A byte string as UTF-8 text; any other value as its bencoded form. */
    public static String render(byte[] bencoded) {
        try {
            if (Bencode.decode(bencoded, VALUE_LIMITS) instanceof byte[] bytes) {
                return new String(bytes, StandardCharsets.UTF_8);
            }
        } catch (BencodeException e) {
            // not canonical bencode: show it as it came
        }
        return new String(bencoded, StandardCharsets.UTF_8);
    }

    private static byte[] value(String text, boolean bencoded) {
        try {
            return encodeValue(text, bencoded);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /**
     * A value as a bencoded item value: UTF-8 text as a byte string, or with {@code bencoded} the text is
     * itself bencode (validated). Checked against the BEP 44 size limit; {@link IllegalArgumentException}
     * with a one-line reason otherwise.
     */
    public static byte[] encodeValue(String text, boolean bencoded) {
        byte[] encoded;
        if (bencoded) {
            encoded = text.getBytes(StandardCharsets.UTF_8);
            try {
                Bencode.decode(encoded, VALUE_LIMITS);
            } catch (BencodeException e) {
                throw new IllegalArgumentException("the value is not valid bencode: " + e.getMessage(), e);
            }
        } else {
            encoded = Bencode.encode(Bencode.bytes(text));
        }
        try {
            Limits.checkValue(encoded);
        } catch (ItemException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return encoded;
    }

    private static byte[] salt(JsonNode body) {
        String text = ApiRequest.optionalText(body, "salt");
        String hex = ApiRequest.optionalText(body, "salt_hex");
        if (text != null && hex != null) {
            throw ApiException.badRequest("give \"salt\" or \"salt_hex\", not both");
        }
        byte[] salt = text != null ? text.getBytes(StandardCharsets.UTF_8) : hex != null ? hex(hex, "salt_hex", -1) : new byte[0];
        try {
            Limits.checkSalt(salt);
        } catch (ItemException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        return salt;
    }

    private static Long optionalLong(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0 || v.asLong() == Long.MAX_VALUE) {
            throw ApiException.badRequest("\"" + field + "\" must be a non-negative integer");
        }
        return v.asLong();
    }

    private static NodeId id(JsonNode body, String field) {
        return NodeId.of(hex(ApiRequest.text(body, field), field, NodeId.LENGTH));
    }

    private static byte[] hex(String text, String field, int length) {
        if (text.length() % 2 != 0 || !text.matches("[0-9A-Fa-f]*") || length >= 0 && text.length() != 2 * length) {
            throw ApiException.badRequest("\"" + field + "\" must be " + (length >= 0 ? 2 * length + " " : "") + "hex digits");
        }
        return HexFormat.of().parseHex(text);
    }

    private static InetSocketAddress address(String text) {
        int colon = text.lastIndexOf(':');
        String host = colon > 0 ? text.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            port = -1;
        }
        boolean literal = host.matches("\\d{1,3}(\\.\\d{1,3}){3}") || host.contains(":") && host.matches("[0-9A-Fa-f:.]+");
        if (!literal || port < 1 || port > 65535) {
            throw ApiException.badRequest("\"address\" must be IP:PORT (an IP literal; [v6]:port for IPv6)");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw ApiException.badRequest("\"address\" must be IP:PORT");
        }
    }

    /** Waits for a DHT operation; a timeout or a failure is a 502/504 with the reason. */
    static <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof TimeoutException) {
                throw new ApiException(504, what + ": no answer");
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new ApiException(502, what + " failed: " + cause.getMessage());
        } catch (TimeoutException e) {
            throw new ApiException(504, what + " timed out after " + TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "the daemon is stopping");
        }
    }
}
