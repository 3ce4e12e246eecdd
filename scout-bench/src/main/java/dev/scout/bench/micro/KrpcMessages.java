package dev.scout.bench.micro;

import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.MutableItem;
import dev.scout.dht.krpc.KrpcCodec;
import dev.scout.dht.krpc.KrpcQuery;
import dev.scout.dht.krpc.KrpcResponse;
import dev.scout.dht.krpc.Query;
import dev.scout.dht.krpc.Want;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Typical KRPC datagrams, built with the project's own codec, for the micro-benchmarks. */
final class KrpcMessages {
    private KrpcMessages() {}

    static List<NodeInfo> nodes(Random random, int count) {
        List<NodeInfo> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] ip = {(byte) (1 + random.nextInt(223)), (byte) random.nextInt(256), (byte) random.nextInt(256),
                    (byte) random.nextInt(256)};
            try {
                nodes.add(new NodeInfo(NodeId.random(random),
                        new InetSocketAddress(InetAddress.getByAddress(ip), 1024 + random.nextInt(60000))));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return nodes;
    }

    /** find_node query (~100 bytes). */
    static KrpcQuery findNodeQuery(Random random) {
        return new KrpcQuery(new byte[] {'a', 'b'}, NodeId.random(random),
                new Query.FindNode(NodeId.random(random), Want.UNSPECIFIED), false, null);
    }

    /** find_node response with 8 nodes (~290 bytes), the most common answer on the DHT. */
    static KrpcResponse findNodeResponse(Random random) {
        return new KrpcResponse(new byte[] {'a', 'b'}, NodeId.random(random), nodes(random, 8), null, null, null,
                null, null, null, null, new InetSocketAddress(InetAddress.getLoopbackAddress(), 6881), null);
    }

    /** BEP 44 get response carrying a signed mutable item with a 150-byte value, 8 nodes and a token. */
    static KrpcResponse mutableGetResponse(Random random) {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        byte[] raw = new byte[150];
        random.nextBytes(raw);
        byte[] value = new byte[154];
        System.arraycopy("150:".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, value, 0, 4);
        System.arraycopy(raw, 0, value, 4, 150);
        MutableItem item = MutableItem.sign(Ed25519KeyPair.ofSeed(seed), new byte[0], 7, value);
        return new KrpcResponse(new byte[] {'a', 'b'}, NodeId.random(random), nodes(random, 8), null, null,
                new byte[8], item.value(), item.publicKey().bytes(), item.signature(), item.seq(), null, null);
    }

    static byte[] encode(dev.scout.dht.krpc.KrpcMessage m) {
        return KrpcCodec.encode(m);
    }
}
