package dev.scout.node.portmap;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NatPmpCodecTest {
    static byte[] addressReply(int result, int epoch, String ip) throws Exception {
        return ByteBuffer.allocate(12).put((byte) 0).put((byte) 128).putShort((short) result).putInt(epoch)
                .put(InetAddress.getByName(ip).getAddress()).array();
    }

    static byte[] mapReply(int result, int epoch, int internal, int external, int lifetime) {
        return ByteBuffer.allocate(16).put((byte) 0).put((byte) 129).putShort((short) result).putInt(epoch)
                .putShort((short) internal).putShort((short) external).putInt(lifetime).array();
    }

    @Test
    void requestsAreTheRfcBytes() {
        assertThat(NatPmpCodec.addressRequest()).containsExactly(0, 0);
        assertThat(NatPmpCodec.mapRequest(6881, 6881, 7200)).containsExactly(0, 1, 0, 0, 0x1a, (byte) 0xe1, 0x1a, (byte) 0xe1,
                0, 0, 0x1c, 0x20);
    }

    @Test
    void repliesDecode() throws Exception {
        byte[] a = addressReply(0, 5, "44.64.0.11");
        assertThat(NatPmpCodec.decodeAddress(a, 12).external()).isEqualTo(InetAddress.getByName("44.64.0.11"));
        NatPmpCodec.Mapping m = NatPmpCodec.decodeMapping(mapReply(0, 9, 6881, 40000, 7200), 16, 6881);
        assertThat(m.externalPort()).isEqualTo(40000);
        assertThat(m.lifetimeSeconds()).isEqualTo(7200);
        assertThat(m.epoch()).isEqualTo(9);
    }

    @Test
    void hostileRepliesGiveClearErrors() throws Exception {
        assertThatThrownBy(() -> NatPmpCodec.decodeMapping(mapReply(2, 1, 6881, 0, 0), 16, 6881))
                .isInstanceOf(PortMapException.class).hasMessage("NAT-PMP: the gateway answered not authorized/refused (2)");
        assertThatThrownBy(() -> NatPmpCodec.decodeMapping(mapReply(99, 1, 6881, 0, 0), 16, 6881)).hasMessageContaining("(99)");
        assertThatThrownBy(() -> NatPmpCodec.decodeMapping(mapReply(0, 1, 6881, 1, 1), 15, 6881)).hasMessageContaining("15-byte");
        assertThatThrownBy(() -> NatPmpCodec.decodeMapping(mapReply(0, 1, 6881, 1, 1), 2, 6881)).hasMessageContaining("too short");
        assertThatThrownBy(() -> NatPmpCodec.decodeMapping(mapReply(0, 1, 6882, 1, 1), 16, 6881)).hasMessageContaining("6882");
        assertThatThrownBy(() -> NatPmpCodec.decodeMapping(mapReply(0, 1, 6881, 0, 60), 16, 6881)).hasMessageContaining("port 0");
        assertThatThrownBy(() -> NatPmpCodec.decodeAddress(mapReply(0, 1, 6881, 1, 1), 16)).hasMessageContaining("opcode 129");
        byte[] v2 = addressReply(0, 1, "44.64.0.11");
        v2[0] = 2;
        assertThatThrownBy(() -> NatPmpCodec.decodeAddress(v2, 12)).hasMessageContaining("version 2");
        assertThatThrownBy(() -> NatPmpCodec.decodeAddress(addressReply(0, 1, "0.0.0.0"), 12)).hasMessageContaining("no public address");
    }

    @Test
    void randomBytesNeverEscapeAsAnythingButPortMapException() {
        Random random = new Random(6886);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[random.nextInt(NatPmpCodec.MAX_REPLY + 2)];
            random.nextBytes(b);
            if (b.length > 1 && random.nextBoolean()) {
                b[0] = 0;
                b[1] = (byte) (random.nextBoolean() ? 128 : 129);
            }
            try {
                NatPmpCodec.decodeAddress(b, b.length);
            } catch (PortMapException expected) {
                assertThat(expected.getMessage()).startsWith("NAT-PMP: ");
            }
            try {
                NatPmpCodec.decodeMapping(b, b.length, 6881);
            } catch (PortMapException expected) {
                assertThat(expected.getMessage()).startsWith("NAT-PMP: ");
            }
        }
    }
}
