package dev.scout.session;

import static dev.scout.session.ContactAddressPolicy.ALLOW_LOOPBACK;
import static dev.scout.session.ContactAddressPolicy.ALLOW_PRIVATE;
import static dev.scout.session.ContactAddressPolicy.PUBLIC_ONLY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scout.dht.FormatException;
import dev.scout.session.relay.RelayEntry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Addresses from contacts (issue 19, finding 10): one policy refuses targets a contact must not aim our
 * datagrams at, and connect intents cannot schedule work far from now.
 */
class ContactAddressPolicyTest {
    private static final long NOW = 1_800_000_000_000L;

    private static InetSocketAddress at(String ip, int port) {
        return new InetSocketAddress(ip, port);
    }

    private static InetAddress ip(String s) throws UnknownHostException {
        return InetAddress.getByName(s);
    }

    @Test
    void neverPort0UnspecifiedMulticastBroadcastReservedLinkLocalOrDiscard() {
        for (ContactAddressPolicy p : ContactAddressPolicy.values()) {
            assertThat(p.refusal(at("203.0.113.5", 0))).as("port 0").get().asString().contains("port 0");
            assertThat(p.allows(at("0.0.0.0", 6881))).as("unspecified IPv4").isFalse();
            assertThat(p.allows(at("::", 6881))).as("unspecified IPv6").isFalse();
            assertThat(p.allows(at("224.0.0.1", 6881))).as("multicast IPv4").isFalse();
            assertThat(p.allows(at("239.255.255.250", 1900))).as("SSDP multicast").isFalse();
            assertThat(p.allows(at("ff02::1", 6881))).as("multicast IPv6").isFalse();
            assertThat(p.allows(at("255.255.255.255", 6881))).as("broadcast").isFalse();
            assertThat(p.allows(at("240.0.0.1", 6881))).as("reserved 240/4").isFalse();
            assertThat(p.allows(at("0.1.2.3", 6881))).as("this network 0/8").isFalse();
            assertThat(p.allows(at("169.254.1.1", 6881))).as("link-local IPv4").isFalse();
            assertThat(p.allows(at("fe80::1", 6881))).as("link-local IPv6").isFalse();
            assertThat(p.allows(at("100::1:2", 9))).as("a virtual address (100::/64)").isFalse();
            assertThat(p.allows(at("203.0.113.5", 6881))).as("public IPv4").isTrue();
            assertThat(p.allows(at("2001:db8::5", 6881))).as("public IPv6").isTrue();
        }
    }

    @Test
    void loopbackOnlyOnATestNetwork() {
        assertThat(PUBLIC_ONLY.refusal(at("127.0.0.1", 6881))).get().asString().contains("loopback");
        assertThat(ALLOW_PRIVATE.allows(at("127.0.0.1", 6881))).isFalse();
        assertThat(ALLOW_PRIVATE.allows(at("::1", 6881))).isFalse();
        assertThat(ALLOW_LOOPBACK.allows(at("127.0.0.1", 6881))).isTrue();
        assertThat(ALLOW_LOOPBACK.allows(at("::1", 6881))).isTrue();
    }

    @Test
    void privateNetworksOnlyWhenThisNodeIsOnOne() {
        for (String lan : List.of("10.251.1.2", "172.16.0.1", "172.31.255.1", "192.168.1.20", "100.64.0.11", "100.127.0.1",
                "fd00::1", "fc12::1")) {
            assertThat(PUBLIC_ONLY.refusal(at(lan, 6881))).as(lan).get().asString().contains("private");
            assertThat(ALLOW_PRIVATE.allows(at(lan, 6881))).as(lan).isTrue();
            assertThat(ALLOW_LOOPBACK.allows(at(lan, 6881))).as(lan).isTrue();
        }
        assertThat(PUBLIC_ONLY.allows(at("172.32.0.1", 6881))).as("just outside 172.16/12").isTrue();
        assertThat(PUBLIC_ONLY.allows(at("100.128.0.1", 6881))).as("just outside 100.64/10").isTrue();
    }

    @Test
    void theHostDecidesThePolicy() throws Exception {
        // A loopback test network (the daemon tests): loopback bootstrap nodes.
        assertThat(ContactAddressPolicy.forHost(List.of(ip("127.0.0.1"), ip("203.0.113.7")), List.of(ip("127.0.0.1"))))
                .isEqualTo(ALLOW_LOOPBACK);
        // The NAT lab's homes (10.251.K.2) and public host (100.64.0.10) are on private networks.
        assertThat(ContactAddressPolicy.forHost(List.of(ip("127.0.0.1"), ip("10.251.1.2")), List.of(ip("100.64.0.10"))))
                .isEqualTo(ALLOW_PRIVATE);
        assertThat(ContactAddressPolicy.forHost(List.of(ip("100.64.0.10")), List.of(ip("100.64.0.100"))))
                .isEqualTo(ALLOW_PRIVATE);
        // A public server: its own loopback interface does not count.
        assertThat(ContactAddressPolicy.forHost(List.of(ip("127.0.0.1"), ip("::1"), ip("203.0.113.7")), List.of(ip("198.51.100.1"))))
                .isEqualTo(PUBLIC_ONLY);
    }

    private static byte[] intent(long startAt, long expiresAt, List<InetSocketAddress> addresses) {
        return new ConnectIntent(new byte[16], startAt, expiresAt, NatType.CONE, 0, addresses).encode();
    }

    @Test
    void anIntentLosesItsRefusedAddressesAndFailsWithNoneLeft() {
        byte[] mixed = intent(NOW + 3_000, NOW / 1000 + 60, List.of(at("203.0.113.5", 6881), at("127.0.0.1", 6881),
                at("10.0.0.2", 6881), at("224.0.0.1", 6881)));
        assertThat(ConnectIntent.decode(mixed, PUBLIC_ONLY, NOW).orElseThrow().addresses()).containsExactly(at("203.0.113.5", 6881));
        assertThat(ConnectIntent.decode(mixed, ALLOW_PRIVATE, NOW).orElseThrow().addresses()).containsExactly(at("203.0.113.5", 6881),
                at("10.0.0.2", 6881));
        assertThat(ConnectIntent.decode(mixed, ALLOW_LOOPBACK, NOW).orElseThrow().addresses()).hasSize(3);
        byte[] onlyBad = intent(NOW + 3_000, NOW / 1000 + 60, List.of(at("127.0.0.1", 6881), at("255.255.255.255", 6881)));
        assertThatThrownBy(() -> ConnectIntent.decode(onlyBad, PUBLIC_ONLY, NOW)).isInstanceOf(FormatException.class)
                .hasMessageContaining("no address we may send to").hasMessageContaining("loopback");
    }

    @Test
    void anIntentStartsNearNowAndExpiresWithinAnHour() {
        List<InetSocketAddress> ok = List.of(at("203.0.113.5", 6881));
        assertThat(ConnectIntent.decode(intent(NOW + ConnectIntent.MAX_START_AHEAD_MILLIS, NOW / 1000 + 60, ok), PUBLIC_ONLY, NOW))
                .isPresent();
        assertThatThrownBy(() -> ConnectIntent.decode(intent(NOW + ConnectIntent.MAX_START_AHEAD_MILLIS + 1, NOW / 1000 + 60, ok),
                PUBLIC_ONLY, NOW)).isInstanceOf(FormatException.class).hasMessageContaining("starting");
        assertThatThrownBy(() -> ConnectIntent.decode(intent(Long.MAX_VALUE, NOW / 1000 + 60, ok), PUBLIC_ONLY, NOW))
                .isInstanceOf(FormatException.class);
        assertThatThrownBy(() -> ConnectIntent.decode(intent(NOW - ConnectIntent.MAX_START_BEHIND_MILLIS - 1, NOW / 1000 + 60, ok),
                PUBLIC_ONLY, NOW)).isInstanceOf(FormatException.class).hasMessageContaining("starting");
        assertThatThrownBy(() -> ConnectIntent.decode(intent(NOW, NOW / 1000 + ConnectIntent.MAX_TTL_SECONDS + 1, ok),
                PUBLIC_ONLY, NOW)).isInstanceOf(FormatException.class).hasMessageContaining("expiring");
    }

    @Test
    void anExpiredIntentIsHistoryNotAnErrorWhateverItsStart() {
        List<InetSocketAddress> ok = List.of(at("203.0.113.5", 6881));
        // An intent written ten minutes ago, read again at every poll: expired, so skipped quietly.
        assertThat(ConnectIntent.decode(intent(NOW - 600_000, NOW / 1000 - 540, ok), PUBLIC_ONLY, NOW)).isEmpty();
        // Expiring this very second counts as expired, as isLive says.
        assertThat(ConnectIntent.decode(intent(NOW - 56_500, NOW / 1000, ok), PUBLIC_ONLY, NOW)).isEmpty();
        // An expired intent with addresses we may not send to is still only history: nothing is sent anyway.
        assertThat(ConnectIntent.decode(intent(NOW - 600_000, NOW / 1000 - 540, List.of(at("127.0.0.1", 6881))),
                PUBLIC_ONLY, NOW)).isEmpty();
        // A live intent whose start passed more than a minute ago no writer of ours makes: malformed.
        assertThatThrownBy(() -> ConnectIntent.decode(intent(NOW - 600_000, NOW / 1000 + 60, ok), PUBLIC_ONLY, NOW))
                .isInstanceOf(FormatException.class).hasMessageContaining("starting");
        // A broken layout is malformed whether or not it would have expired.
        byte[] truncated = java.util.Arrays.copyOf(intent(NOW - 600_000, NOW / 1000 - 540, ok), 20);
        assertThatThrownBy(() -> ConnectIntent.decode(truncated, PUBLIC_ONLY, NOW)).isInstanceOf(FormatException.class);
    }

    @Test
    void port0IsMalformedInAnyIntent() {
        byte[] b = intent(NOW, NOW / 1000 + 60, List.of(at("203.0.113.5", 0)));
        assertThatThrownBy(() -> ConnectIntent.decode(b)).isInstanceOf(FormatException.class).hasMessageContaining("port 0");
    }

    @Test
    void aRelayEntryNamesOnlyARelayWeMaySendTo() {
        byte[] loopback = new RelayEntry(at("127.0.0.1", 6881), new byte[16], NatType.CONE, 5).encode();
        assertThatThrownBy(() -> RelayEntry.decode(loopback, PUBLIC_ONLY)).isInstanceOf(FormatException.class)
                .hasMessageContaining("loopback");
        assertThat(RelayEntry.decode(loopback, ALLOW_LOOPBACK).relay()).isEqualTo(at("127.0.0.1", 6881));
        byte[] multicast = new RelayEntry(at("ff05::2", 6881), new byte[16], NatType.CONE, 5).encode();
        assertThatThrownBy(() -> RelayEntry.decode(multicast, ALLOW_LOOPBACK)).isInstanceOf(FormatException.class)
                .hasMessageContaining("multicast");
        byte[] lab = new RelayEntry(at("100.64.0.10", 6881), new byte[16], NatType.CONE, 5).encode();
        assertThat(RelayEntry.decode(lab, ALLOW_PRIVATE).relay()).isEqualTo(at("100.64.0.10", 6881));
        assertThatThrownBy(() -> RelayEntry.decode(lab, PUBLIC_ONLY)).isInstanceOf(FormatException.class);
    }
}
