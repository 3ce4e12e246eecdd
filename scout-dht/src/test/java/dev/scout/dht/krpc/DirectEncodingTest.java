package dev.scout.dht.krpc;

import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The direct response writer produces exactly the bytes of the generic map-based encoder. */
class DirectEncodingTest {
    @Test
    void directResponseEncodingMatchesTheGenericEncoder() throws Exception {
        Random random = new Random(1);
        for (int round = 0; round < 5_000; round++) {
            byte[] t = new byte[1 + random.nextInt(4)];
            random.nextBytes(t);
            List<NodeInfo> nodes = new ArrayList<>();
            List<NodeInfo> nodes6 = new ArrayList<>();
            int n = random.nextInt(9);
            for (int i = 0; i < n; i++) {
                nodes.add(new NodeInfo(NodeId.random(random), address(random, 4)));
            }
            if (random.nextInt(4) == 0) {
                for (int i = 0; i < 1 + random.nextInt(8); i++) {
                    nodes6.add(new NodeInfo(NodeId.random(random), address(random, 16)));
                }
            }
            List<InetSocketAddress> values = new ArrayList<>();
            if (random.nextInt(3) == 0) {
                for (int i = 0; i < 1 + random.nextInt(50); i++) {
                    values.add(address(random, random.nextInt(5) == 0 ? 16 : 4));
                }
            }
            byte[] token = random.nextBoolean() ? bytes(random, 1 + random.nextInt(20)) : null;
            boolean item = random.nextInt(3) == 0;
            byte[] v = item ? ("3:" + "abc").getBytes() : null;
            if (item && random.nextBoolean()) {
                v = ("i" + (random.nextInt(2000) - 1000) + "e").getBytes();
            }
            byte[] k = item && random.nextBoolean() ? bytes(random, 32) : null;
            byte[] sig = k != null ? bytes(random, 64) : null;
            Long seq = k != null || random.nextInt(5) == 0 ? (long) random.nextInt(Integer.MAX_VALUE) - 5 : null;
            InetSocketAddress ip = random.nextBoolean() ? address(random, random.nextInt(4) == 0 ? 16 : 4) : null;
            KrpcResponse r = new KrpcResponse(t, NodeId.random(random), nodes, nodes6, values, token, v, k, sig, seq,
                    ip, null);
            assertThat(KrpcCodec.encode(r)).as("round %d", round).isEqualTo(KrpcCodec.encodeWithMaps(r));
        }
    }

    /**
     * Whatever integer the decoder accepts, the encoder writes back decodably: the 64-bit extremes
     * included (the direct writer used to turn -2^63 into garbage, served to every later reader).
     */
    @Test
    void extremeIntegersRoundTripThroughBothEncoders() throws Exception {
        for (long seq : new long[] {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, 0, Long.MAX_VALUE}) {
            KrpcResponse r = new KrpcResponse(new byte[] {1, 2}, NodeId.random(new Random(3)), List.of(), null,
                    List.of(), null, null, null, null, seq, null, null);
            byte[] direct = KrpcCodec.encode(r);
            assertThat(direct).isEqualTo(KrpcCodec.encodeWithMaps(r));
            assertThat(((KrpcResponse) KrpcCodec.decode(direct)).seq()).isEqualTo(seq);
        }
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static InetSocketAddress address(Random random, int length) throws Exception {
        return new InetSocketAddress(InetAddress.getByAddress(bytes(random, length)), 1 + random.nextInt(65535));
    }
}
