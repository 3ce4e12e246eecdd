package dev.scout.node.portmap;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

class GatewaysTest {
    private static final String HEADER = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n";

    @Test
    void theDefaultRouteWithTheLowestMetricGivesTheGateway() throws Exception {
        String table = HEADER
                + "eth0\t00000000\t01FB0A0A\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
                + "eth0\t00FB0A0A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
                + "wlan0\t00000000\t0101A8C0\t0003\t0\t0\t50\t00000000\t0\t0\t0\n";
        assertThat(Gateways.defaultGateway(table)).contains(InetAddress.getByName("192.168.1.1"));
    }

    @Test
    void noDefaultRouteOrGarbageGivesNone() {
        assertThat(Gateways.defaultGateway(HEADER + "eth0\t00FB0A0A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n")).isEmpty();
        assertThat(Gateways.defaultGateway(HEADER + "eth0\t00000000\t00000000\t0001\t0\t0\t0\t00000000\t0\t0\t0\n"))
                .as("a default route without a gateway (point-to-point)").isEmpty();
        assertThat(Gateways.defaultGateway("eth0 00000000 ZZZZ 0003 0 0 0 00000000\n\u0000\u0001 garbage")).isEmpty();
        assertThat(Gateways.defaultGateway("eth0 00000000 1FFFFFFFF 0003 0 0 0 00000000")).isEmpty();
        assertThat(Gateways.defaultGateway("")).isEmpty();
    }
}
