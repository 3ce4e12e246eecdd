package dev.scout.node.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scout.app.AppEntries;
import dev.scout.app.ScoutApp;
import dev.scout.core.RecordEntry;
import dev.scout.session.ContactAddressPolicy;
import dev.scout.session.NatType;
import dev.scout.session.relay.RelayEntry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where pokes go: a contact behind a NAT (its relay entry says so) is poked through its relay and live
 * paths only, never at its published addresses — a datagram arriving at its router unasked would take the
 * conntrack tuple a later hole punch needs. A public contact, or one without a relay, gets its addresses
 * for a message's poke; a record change's poke (often just before a punch) never goes there.
 */
class PokeTargetsTest {
    private static final InetSocketAddress RELAY = new InetSocketAddress("100.64.0.10", 6881);
    private static final InetSocketAddress ROUTE = new InetSocketAddress("100::1", 9);
    private static final InetSocketAddress PUBLISHED = new InetSocketAddress("100.64.0.12", 6881);
    private static final InetSocketAddress PATH = new InetSocketAddress("100.64.0.12", 7000);
    private static final ContactAddressPolicy LAB = ContactAddressPolicy.forHost(
            List.of(address("10.251.1.2")), List.of(address("100.64.0.100")));

    @Test
    void aContactBehindANatIsPokedThroughItsRelayAndPathsOnly() {
        List<InetSocketAddress> targets = targets(NatType.CONE);
        assertThat(targets).containsExactly(PATH, ROUTE);
        assertThat(targets(NatType.SYMMETRIC)).doesNotContain(PUBLISHED);
    }

    @Test
    void aPublicContactOrOneWithoutARelayIsPokedAtItsAddressesToo() {
        assertThat(targets(NatType.NONE)).containsExactly(PATH, ROUTE, PUBLISHED);
        assertThat(PokeTargets.of(List.of(PATH), List.of(device()), List.of(), LAB, (r, t) -> ROUTE, now(), true))
                .containsExactly(PATH, PUBLISHED);
    }

    @Test
    void aRecordChangesPokeNeverGoesToPublishedAddresses() {
        assertThat(PokeTargets.of(List.of(PATH), List.of(device()), List.of(), LAB, (r, t) -> ROUTE, now(), false))
                .containsExactly(PATH);
    }

    private static List<InetSocketAddress> targets(NatType theirNat) {
        byte[] entry = new RelayEntry(RELAY, new byte[16], theirNat, now() / 1000 + 600).encode();
        RecordEntry relay = RecordEntry.of(AppEntries.id(1, 7, AppEntries.KIND_RELAY), entry);
        return PokeTargets.of(List.of(PATH), List.of(device()), List.of(relay), LAB, (r, t) -> ROUTE, now(), true);
    }

    private static ScoutApp.ContactDevice device() {
        return new ScoutApp.ContactDevice(7, "bob", List.of(PUBLISHED), null, List.of(), now());
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    private static InetAddress address(String a) {
        try {
            return InetAddress.getByName(a);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
