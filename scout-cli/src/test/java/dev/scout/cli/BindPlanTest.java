package dev.scout.cli;

import dev.scout.cli.common.BindPlan;

import org.junit.jupiter.api.Test;

import java.net.Inet6Address;

import static org.assertj.core.api.Assertions.assertThat;

/** Which sockets the commands bind for a bootstrap list. */
class BindPlanTest {
    @Test
    void bindPlanFollowsTheBootstrapFamilies() {
        BindPlan v4 = BindPlan.forBootstrap(java.util.List.of("127.0.0.1:6881"), 0);
        assertThat(v4.ipv4()).hasToString("/127.0.0.1:0");
        assertThat(v4.ipv6()).isNull();
        BindPlan v6 = BindPlan.forBootstrap(java.util.List.of("[::1]:6881"), 0);
        assertThat(v6.ipv4()).isNull();
        assertThat(v6.ipv6().getAddress().isLoopbackAddress()).isTrue();
        BindPlan names = BindPlan.forBootstrap(java.util.List.of("router.bittorrent.com:6881"), 6881);
        assertThat(names.dual()).isTrue();
        assertThat(names.ipv4().getAddress().isAnyLocalAddress()).isTrue();
        assertThat(names.ipv6().getAddress().isAnyLocalAddress()).isTrue();
        assertThat(names.ipv6().getAddress()).isInstanceOf(Inet6Address.class);
        BindPlan mixed = BindPlan.forBootstrap(java.util.List.of("127.0.0.1:1", "[::1]:2"), 0);
        assertThat(mixed.dual()).isTrue();
        assertThat(mixed.ipv4().getAddress().isLoopbackAddress()).isTrue();
        assertThat(mixed.ipv6().getAddress().isLoopbackAddress()).isTrue();
    }
}
