package dev.scout.node.portmap;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PcpCodecTest {
    private static final byte[] NONCE = "twelve bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** A MAP reply as a PCP server writes it for our request. */
    static byte[] reply(byte[] request, int result, int lifetime, int epoch, InetSocketAddress external) {
        ByteBuffer b = ByteBuffer.wrap(request.clone());
        b.put(1, (byte) 0x81).put(3, (byte) result).putInt(4, lifetime).putInt(8, epoch);
        b.put(12, new byte[12]);
        b.putShort(42, (short) external.getPort()).put(44, PcpCodec.ip16(external.getAddress()));
        return b.array();
    }

    private static byte[] request() throws Exception {
        return PcpCodec.map(InetAddress.getByName("10.0.0.2"), NONCE, 6881, 6881, InetAddress.getByName("0.0.0.0"), 7200);
    }

    @Test
    void aMapRequestIsSixtyBytesWithTheClientAddressNonceAndPorts() throws Exception {
        byte[] r = request();
        assertThat(r).hasSize(60);
        assertThat(r[0]).isEqualTo((byte) 2);
        assertThat(r[1]).isEqualTo((byte) 1);
        assertThat(ByteBuffer.wrap(r).getInt(4)).isEqualTo(7200);
        assertThat(PcpCodec.fromIp16(java.util.Arrays.copyOfRange(r, 8, 24))).isEqualTo(InetAddress.getByName("10.0.0.2"));
        assertThat(java.util.Arrays.copyOfRange(r, 24, 36)).isEqualTo(NONCE);
        assertThat(r[36]).isEqualTo((byte) 17);
        assertThat(ByteBuffer.wrap(r).getShort(40)).isEqualTo((short) 6881);
    }

    @Test
    void aSuccessfulReplyGivesTheExternalAddressLifetimeAndEpoch() throws Exception {
        InetSocketAddress ext = new InetSocketAddress("44.64.0.11", 40000);
        byte[] reply = reply(request(), 0, 3600, 77, ext);
        PcpCodec.Reply r = PcpCodec.decode(reply, reply.length, NONCE, 6881);
        assertThat(r.external()).isEqualTo(ext);
        assertThat(r.lifetimeSeconds()).isEqualTo(3600);
        assertThat(r.epoch()).isEqualTo(77);
    }

    @Test
    void errorResultsAreNamed() throws Exception {
        byte[] reply = reply(request(), 2, 0, 1, new InetSocketAddress("0.0.0.0", 0));
        assertThatThrownBy(() -> PcpCodec.decode(reply, reply.length, NONCE, 6881)).isInstanceOf(PortMapException.class)
                .hasMessage("PCP: the gateway answered NOT_AUTHORIZED (2)");
        byte[] odd = reply(request(), 200, 0, 1, new InetSocketAddress("0.0.0.0", 0));
        assertThatThrownBy(() -> PcpCodec.decode(odd, odd.length, NONCE, 6881)).hasMessageContaining("unknown result 200");
    }

    @Test
    void hostileRepliesGiveClearErrors() throws Exception {
        InetSocketAddress ext = new InetSocketAddress("44.64.0.11", 40000);
        byte[] good = reply(request(), 0, 3600, 1, ext);
        assertThatThrownBy(() -> PcpCodec.decode(good, 3, NONCE, 6881)).hasMessageContaining("too short");
        assertThatThrownBy(() -> PcpCodec.decode(good, 59, NONCE, 6881)).hasMessageContaining("59-byte MAP reply");
        byte[] wrongOp = good.clone();
        wrongOp[1] = (byte) 0x82;
        assertThatThrownBy(() -> PcpCodec.decode(wrongOp, 60, NONCE, 6881)).hasMessageContaining("not a MAP response");
        byte[] v1 = good.clone();
        v1[0] = 1;
        assertThatThrownBy(() -> PcpCodec.decode(v1, 60, NONCE, 6881)).hasMessageContaining("version 1");
        byte[] natPmp = {0, (byte) 0x81, 0, 1};
        assertThatThrownBy(() -> PcpCodec.decode(natPmp, 4, NONCE, 6881)).hasMessageContaining("NAT-PMP only");
        assertThatThrownBy(() -> PcpCodec.decode(good, 60, "other nonce!".getBytes(), 6881)).hasMessageContaining("nonce");
        assertThatThrownBy(() -> PcpCodec.decode(good, 60, NONCE, 6882)).hasMessageContaining("internal port 6881");
        byte[] tcp = good.clone();
        tcp[36] = 6;
        assertThatThrownBy(() -> PcpCodec.decode(tcp, 60, NONCE, 6881)).hasMessageContaining("protocol 6");
        byte[] noPort = reply(request(), 0, 3600, 1, new InetSocketAddress("44.64.0.11", 0));
        assertThatThrownBy(() -> PcpCodec.decode(noPort, 60, NONCE, 6881)).hasMessageContaining("no external address");
        byte[] huge = java.util.Arrays.copyOf(good, PcpCodec.MAX_REPLY + 1);
        assertThatThrownBy(() -> PcpCodec.decode(huge, huge.length, NONCE, 6881)).hasMessageContaining("1101-byte");
    }

    @Test
    void randomBytesNeverEscapeAsAnythingButPortMapException() {
        Random random = new Random(21);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[random.nextInt(PcpCodec.MAX_REPLY + 2)];
            random.nextBytes(b);
            if (b.length > 1 && random.nextBoolean()) {
                b[0] = 2;
                b[1] = (byte) 0x81;
            }
            try {
                PcpCodec.decode(b, b.length, NONCE, 6881);
            } catch (PortMapException expected) {
                assertThat(expected.getMessage()).startsWith("PCP: ");
            }
        }
    }
}
