package dev.scout.node.nat;

import dev.scout.dht.Reachability;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class NatMonitorTest {
    static final long WINDOW = 600_000;
    static final long REPROBE = 3_600_000;
    static final Set<InetAddress> LOCAL = Set.of(addr("192.168.1.20", 1).getAddress());

    static InetSocketAddress addr(String ip, int port) {
        return new InetSocketAddress(ip, port);
    }

    static Reachability seen(long unsolicited, Map<InetSocketAddress, Integer> votes, boolean ro) {
        return new Reachability(unsolicited, votes, ro);
    }

    @Test
    void aQuietWindowWithAHealthyTableMeansUnreachableAndReadOnlyUntilTheNextProbe() {
        NatMonitor m = new NatMonitor(WINDOW, REPROBE);
        Map<InetSocketAddress, Integer> votes = Map.of(addr("203.0.113.7", 40001), 5);
        assertThat(m.update(0, seen(0, votes, false), 50, 6881, LOCAL)).isFalse();
        assertThat(m.update(WINDOW - 1, seen(0, votes, false), 50, 6881, LOCAL)).isFalse();
        assertThat(m.reachability()).isEqualTo("unknown");
        assertThat(m.update(WINDOW, seen(0, votes, false), 50, 6881, LOCAL)).isTrue();
        assertThat(m.reachability()).isEqualTo("unreachable");
        assertThat(m.nat()).isEqualTo("cone");
        // read-only until the re-probe, then regular for one more window
        assertThat(m.update(WINDOW + REPROBE - 1, seen(0, votes, true), 50, 6881, LOCAL)).isTrue();
        assertThat(m.update(WINDOW + REPROBE, seen(0, votes, true), 50, 6881, LOCAL)).isFalse();
        // a stranger reaches us during the probe: reachable, regular
        assertThat(m.update(WINDOW + REPROBE + 1_000, seen(1, votes, false), 50, 6881, LOCAL)).isFalse();
        assertThat(m.reachability()).isEqualTo("reachable");
    }

    @Test
    void aMonitorStartedReadOnlyStaysSoUntilTheFirstReprobeThenLooksForOneWindow() {
        NatMonitor m = new NatMonitor(WINDOW, REPROBE, true);
        Map<InetSocketAddress, Integer> votes = Map.of(addr("203.0.113.7", 6881), 5);
        assertThat(m.update(1_000, seen(0, votes, true), 50, 6881, LOCAL)).isTrue();
        assertThat(m.update(1_000 + REPROBE - 1, seen(0, votes, true), 50, 6881, LOCAL)).isTrue();
        assertThat(m.nat()).isEqualTo("cone");
        assertThat(m.update(1_000 + REPROBE, seen(0, votes, true), 50, 6881, LOCAL)).isFalse();
        assertThat(m.update(1_000 + REPROBE + WINDOW, seen(0, votes, false), 50, 6881, LOCAL)).isTrue();
        assertThat(m.reachability()).isEqualTo("unreachable");
    }

    @Test
    void aPrivateHostWithAPublicBootstrapIsBehindANat() throws Exception {
        InetAddress lan = InetAddress.getByName("10.251.1.2");
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        InetAddress publicNode = InetAddress.getByName("100.64.0.10");
        assertThat(PrivateNetwork.behindNat(java.util.List.of(publicNode), java.util.List.of(loopback, lan))).isTrue();
        // a loopback testnet, a host with a public address, a LAN-only network: no NAT in between
        assertThat(PrivateNetwork.behindNat(java.util.List.of(loopback), java.util.List.of(loopback, lan))).isFalse();
        assertThat(PrivateNetwork.behindNat(java.util.List.of(publicNode),
                java.util.List.of(lan, InetAddress.getByName("198.51.100.4")))).isFalse();
        assertThat(PrivateNetwork.behindNat(java.util.List.of(InetAddress.getByName("192.168.1.1")),
                java.util.List.of(lan))).isFalse();
        assertThat(PrivateNetwork.behindNat(java.util.List.of(publicNode), java.util.List.of(loopback))).isFalse();
    }

    @Test
    void noVerdictWithoutAHealthyTable() {
        NatMonitor m = new NatMonitor(WINDOW, REPROBE);
        assertThat(m.update(0, seen(0, Map.of(), false), 2, 6881, LOCAL)).isFalse();
        assertThat(m.update(10 * WINDOW, seen(0, Map.of(), false), 2, 6881, LOCAL)).isFalse();
        assertThat(m.reachability()).isEqualTo("unknown");
        assertThat(m.nat()).isEqualTo("unknown");
    }

    @Test
    void unsolicitedQueriesMakeItReachable() {
        NatMonitor m = new NatMonitor(WINDOW, REPROBE);
        m.update(0, seen(3, Map.of(), false), 50, 6881, LOCAL);
        assertThat(m.update(1_000, seen(4, Map.of(), false), 50, 6881, LOCAL)).isFalse();
        assertThat(m.reachability()).isEqualTo("reachable");
        // a quiet window soon after being reached is no verdict yet
        assertThat(m.update(1_000 + WINDOW, seen(4, Map.of(), false), 50, 6881, LOCAL)).isFalse();
        assertThat(m.reachability()).isEqualTo("reachable");
    }

    @Test
    void manyPortsForOneIpIsASymmetricNat() {
        Map<InetSocketAddress, Integer> votes = new HashMap<>();
        for (int i = 0; i < 6; i++) {
            votes.put(addr("203.0.113.7", 50_000 + i), 1);
        }
        assertThat(NatMonitor.classify(votes, 6881, LOCAL)).isEqualTo("symmetric");
        NatMonitor m = new NatMonitor(WINDOW, REPROBE);
        m.update(0, seen(0, votes, false), 50, 6881, LOCAL);
        assertThat(m.publishExternal()).isFalse();
    }

    @Test
    void oneConsistentAddressIsNoneOrCone() {
        assertThat(NatMonitor.classify(Map.of(addr("192.168.1.20", 6881), 7), 6881, LOCAL)).isEqualTo("none");
        assertThat(NatMonitor.classify(Map.of(addr("127.0.0.1", 6881), 3), 6881, Set.of())).isEqualTo("none");
        assertThat(NatMonitor.classify(Map.of(addr("203.0.113.7", 6881), 7, addr("203.0.113.7", 1234), 1), 6881, LOCAL))
                .isEqualTo("cone");
        assertThat(NatMonitor.classify(Map.of(addr("203.0.113.7", 1234), 2), 6881, LOCAL)).isEqualTo("cone");
    }
}
