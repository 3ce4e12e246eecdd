package dev.scout.node;

import org.junit.jupiter.api.Test;

import java.net.Inet6Address;
import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** Which IPv6 addresses a device entry may carry (docs/protocol-notes.md, BEP 32). */
class DeviceAddressesTest {

    static Inet6Address v6(String text) throws Exception {
        return (Inet6Address) InetAddress.getByName(text);
    }

    @Test
    void globalAndUniqueLocalAddressesAreUsableOthersAreNot() throws Exception {
        assertThat(DeviceAddresses.usableIpv6(v6("2001:db8::5"))).isTrue();
        assertThat(DeviceAddresses.usableIpv6(v6("fd00:64:32::2"))).isTrue();
        assertThat(DeviceAddresses.isUniqueLocal(v6("fd00:64:32::2"))).isTrue();
        assertThat(DeviceAddresses.isUniqueLocal(v6("2001:db8::5"))).isFalse();
        assertThat(DeviceAddresses.usableIpv6(v6("fe80::1"))).as("link-local").isFalse();
        assertThat(DeviceAddresses.usableIpv6(v6("::1"))).as("loopback").isFalse();
        assertThat(DeviceAddresses.usableIpv6(v6("ff02::1"))).as("multicast").isFalse();
        assertThat(DeviceAddresses.usableIpv6(v6("::"))).as("unspecified").isFalse();
        assertThat(DeviceAddresses.usableIpv6(v6("fec0::1"))).as("deprecated site-local").isFalse();
    }

    @Test
    void aMappedAddressGoesFirstAndOnlyOnce() {
        java.net.InetSocketAddress mapped = new java.net.InetSocketAddress("44.64.0.11", 6881);
        java.net.InetSocketAddress lan = new java.net.InetSocketAddress("10.251.1.2", 6881);
        java.net.InetSocketAddress voted = new java.net.InetSocketAddress("44.64.0.11", 40211);
        assertThat(DeviceAddresses.mappedFirst(java.util.Optional.of(mapped), java.util.List.of(voted, lan, mapped)))
                .containsExactly(mapped, voted, lan);
        assertThat(DeviceAddresses.mappedFirst(java.util.Optional.empty(), java.util.List.of(lan))).containsExactly(lan);
    }

    @Test
    void aNodeOnALoopbackTestNetworkNeverMapsAPort() throws Exception {
        try (dev.scout.dht.udp.LoopbackTestnet net = dev.scout.dht.udp.LoopbackTestnet.start(4);
             ScoutNode node = ScoutNode.builder().testnet(net).start()) {
            node.remapPort(); // nothing to do: no mapper runs
            assertThat(node.portMapping()).isEmpty();
        }
    }
}
