package dev.scout.bench.qps;

import dev.scout.dht.NodeId;
import dev.scout.dht.bencode.Bencode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/** Encoded KRPC queries with a four-byte transaction id the load generator rewrites in place. */
final class QueryTemplates {
    private QueryTemplates() {}

    static byte[] query(NodeId sender, String method, NodeId target) {
        Map<String, Object> a = new TreeMap<>();
        a.put("id", sender.bytes());
        a.put(method.equals("get_peers") ? "info_hash" : "target", target.bytes());
        Map<String, Object> root = new TreeMap<>();
        root.put("a", a);
        root.put("q", Bencode.bytes(method));
        root.put("t", new byte[4]);
        root.put("y", Bencode.bytes("q"));
        return Bencode.encode(root);
    }

    static int tOffset(byte[] q) {
        byte[] pattern = "1:t4:".getBytes(StandardCharsets.US_ASCII);
        for (int i = q.length - pattern.length; i >= 0; i--) {
            if (Arrays.equals(q, i, i + pattern.length, pattern, 0, pattern.length)) {
                return i + pattern.length;
            }
        }
        throw new IllegalStateException("no transaction id in template");
    }
}
