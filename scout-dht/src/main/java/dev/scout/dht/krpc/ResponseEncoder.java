package dev.scout.dht.krpc;

import dev.scout.dht.Addresses;
import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The server's hot path: a {@link KrpcResponse} written straight to bytes, without building maps. It must
 * produce exactly the bytes of {@link KrpcCodec#encodeWithMaps}.
 */
final class ResponseEncoder {
    private ResponseEncoder() {}

    /**
     * A response written straight to bytes, keys in the sorted order bencode requires; the same bytes
     * the generic map-based encoder produces (top level: ip, r, t, v, y; in r: id, k, nodes, nodes6,
     * seq, sig, token, v, values).
     */
    static byte[] encode(KrpcResponse r) {
        Out o = new Out(64 + 26 * (r.nodes().size() + 1) + 38 * r.nodes6().size()
                + (r.value() == null ? 0 : r.value().length + 112) + 8 * r.values().size());
        o.raw('d');
        if (r.externalIp() != null) {
            o.key("ip").string(Addresses.compact(r.externalIp()));
        }
        o.key("r").raw('d');
        o.key("id").id(r.sender());
        if (r.key() != null) {
            o.key("k").string(r.key());
        }
        List<List<NodeInfo>> families = KrpcCodec.byFamily(r);
        if (!families.get(0).isEmpty()) {
            o.key("nodes").compactNodes(families.get(0), 26);
        }
        if (!families.get(1).isEmpty()) {
            o.key("nodes6").compactNodes(families.get(1), 38);
        }
        if (r.seq() != null) {
            o.key("seq").integer(r.seq());
        }
        if (r.signature() != null) {
            o.key("sig").string(r.signature());
        }
        if (r.token() != null) {
            o.key("token").string(r.token());
        }
        if (r.value() != null) {
            o.key("v").raw(r.value());
        }
        if (!r.values().isEmpty()) {
            o.key("values").raw('l');
            for (InetSocketAddress peer : r.values()) {
                o.string(Addresses.compact(peer));
            }
            o.raw('e');
        }
        o.raw('e');
        o.key("t").string(r.transactionId());
        o.key("v").string(KrpcCodec.CLIENT_VERSION);
        o.key("y").key("r");
        o.raw('e');
        return o.toByteArray();
    }

    /** A growable byte buffer with bencode writers. */
    private static final class Out {
        private byte[] buf;
        private int len;

        Out(int capacity) {
            buf = new byte[Math.max(16, capacity)];
        }

        private void ensure(int extra) {
            if (len + extra > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
            }
        }

        Out raw(char c) {
            ensure(1);
            buf[len++] = (byte) c;
            return this;
        }

        Out raw(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
            return this;
        }

        private void decimal(long v) {
            if (v == Long.MIN_VALUE) {
                // -v overflows; the decoder accepts this value, so the encoder must write it too.
                raw(Long.toString(v).getBytes(StandardCharsets.US_ASCII));
                return;
            }
            if (v < 0) {
                raw('-');
                v = -v;
            }
            ensure(20);
            int start = len;
            do {
                buf[len++] = (byte) ('0' + (int) (v % 10));
                v /= 10;
            } while (v != 0);
            for (int i = start, j = len - 1; i < j; i++, j--) {
                byte t = buf[i];
                buf[i] = buf[j];
                buf[j] = t;
            }
        }

        /** An ASCII key (or short ASCII string value). */
        Out key(String k) {
            decimal(k.length());
            ensure(k.length() + 1);
            buf[len++] = ':';
            for (int i = 0; i < k.length(); i++) {
                buf[len++] = (byte) k.charAt(i);
            }
            return this;
        }

        Out string(byte[] b) {
            decimal(b.length);
            raw(':');
            return raw(b);
        }

        Out integer(long v) {
            raw('i');
            decimal(v);
            return raw('e');
        }

        Out id(NodeId id) {
            ensure(23);
            buf[len++] = '2';
            buf[len++] = '0';
            buf[len++] = ':';
            id.copyTo(buf, len);
            len += NodeId.LENGTH;
            return this;
        }

        Out compactNodes(List<NodeInfo> nodes, int stride) {
            int total = 0;
            for (NodeInfo n : nodes) {
                total += NodeId.LENGTH + n.address().getAddress().getAddress().length + 2;
            }
            decimal(total);
            raw(':');
            ensure(total);
            for (NodeInfo n : nodes) {
                n.id().copyTo(buf, len);
                len += NodeId.LENGTH;
                byte[] ip = n.address().getAddress().getAddress();
                System.arraycopy(ip, 0, buf, len, ip.length);
                len += ip.length;
                int port = n.address().getPort();
                buf[len++] = (byte) (port >>> 8);
                buf[len++] = (byte) port;
            }
            return this;
        }

        byte[] toByteArray() {
            return java.util.Arrays.copyOf(buf, len);
        }
    }
}
