package dev.scout.dht.routing;

import dev.scout.dht.NodeId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** BEP 42: the node-id table from the BEP text, and the local-address exemption. */
class Bep42Test {

    @ParameterizedTest
    @CsvSource({
            "124.31.75.21, 1, 5fbfbff10c5d6a4ec8a88e4c6ab4c28b95eee401",
            "21.75.31.124, 86, 5a3ce9c14e7a08645677bbd1cfe7d8f956d53256",
            "65.23.51.170, 22, a5d43220bc8f112a3d426c84764f8c2a1150e616",
            "84.124.73.14, 65, 1b0321dd1bb1fe518101ceef99462b947a01ff41",
            "43.213.53.83, 90, e56f6cbf5b7c4be0237986d5243b87aa6d51305a"})
    void bepTableIdsAreValidForTheirIps(String ip, int rand, String id) throws Exception {
        InetAddress address = InetAddress.getByName(ip);
        NodeId nodeId = NodeId.parse(id);
        assertThat(nodeId.bytes()[19] & 0xFF).isEqualTo(rand);
        assertThat(Bep42.isValid(nodeId, address)).isTrue();
        // The same id does not pass for another public address.
        assertThat(Bep42.isValid(nodeId, InetAddress.getByName("8.8.4.4"))).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
            "124.31.75.21, 1, 5fbfbf",
            "21.75.31.124, 86, 5a3ce9",
            "65.23.51.170, 22, a5d432",
            "84.124.73.14, 65, 1b0321",
            "43.213.53.83, 90, e56f6c"})
    void generatedIdsMatchTheTablePrefix(String ip, int rand, String prefix) throws Exception {
        InetAddress address = InetAddress.getByName(ip);
        Random fixedLastByte = new Random(0) {
            @Override
            public void nextBytes(byte[] bytes) {
                super.nextBytes(bytes);
                bytes[19] = (byte) rand;
            }
        };
        NodeId id = Bep42.idFor(address, fixedLastByte);
        // 21 bits are fixed by the IP: the first two bytes and the top five bits of the third.
        assertThat(id.toHex().substring(0, 4)).isEqualTo(prefix.substring(0, 4));
        assertThat(id.bytes()[2] & 0xf8).isEqualTo(Integer.parseInt(prefix.substring(4, 6), 16) & 0xf8);
        assertThat(Bep42.isValid(id, address)).isTrue();
    }

    @Test
    void ipv6IdsValidate() throws Exception {
        InetAddress v6 = InetAddress.getByName("2001:db8::1");
        NodeId id = Bep42.idFor(v6, new Random(4));
        assertThat(Bep42.isValid(id, v6)).isTrue();
        assertThat(Bep42.isValid(id, InetAddress.getByName("2001:db9::1"))).isFalse();
    }

    @Test
    void localAddressesAreExempt() throws Exception {
        NodeId any = NodeId.random(new Random(1));
        for (String local : new String[] {"127.0.0.1", "10.1.2.3", "192.168.0.7", "172.16.4.4", "169.254.1.1", "::1", "fd00::5"}) {
            assertThat(Bep42.isValid(any, InetAddress.getByName(local))).as(local).isTrue();
        }
    }
}
