package dev.scout.node;

import dev.scout.node.sessions.SessionService;
import dev.scout.dht.udp.DualStackNode;
import dev.scout.node.nat.NatAwareness;
import dev.scout.node.reach.Relays;
import dev.scout.session.relay.RelayLink;
import dev.scout.session.relay.RelayRegistration;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** {@link ScoutNode#status()}: what the node knows about itself, gathered from its parts into one {@link NodeStatus}. */
final class StatusReport {
    private final NodeStore store;
    private final DualStackNode dht;
    private final NatAwareness nat;
    private final SessionService sessions;

    StatusReport(NodeStore store, DualStackNode dht, NatAwareness nat, SessionService sessions) {
        this.store = store;
        this.dht = dht;
        this.nat = nat;
        this.sessions = sessions;
    }

    /** {@return the status now (asks the DHT node, at most a few seconds)} */
    NodeStatus now() {
        int table = 0;
        List<InetSocketAddress> externals = List.of();
        try {
            table = dht.stats().get(5, TimeUnit.SECONDS).routingTableSize();
            externals = dht.externalAddresses().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the node is busy or closing: report what is known
        }
        NatAwareness.Verdict first = nat.first();
        Optional<NatAwareness.Verdict> v6 = nat.secondIpv6();
        int open = (int) sessions.list().stream().filter(s -> !s.ended()).count();
        return new NodeStatus(store.requireIdentity().publicKey(), dht.localAddresses(), table, externals,
                first.reachability(), first.nat(), v6.map(NatAwareness.Verdict::reachability),
                v6.map(NatAwareness.Verdict::nat), relay(), store.contacts().size(), open);
    }

    /** What this node does as a relay and as a relay's client. */
    private NodeStatus.Relay relay() {
        RelayLink link = sessions.relayLink();
        var reg = link.registration();
        Relays.Status st = sessions.relayStatus();
        return new NodeStatus.Relay(st.serving(), link.relayStats(), st.via(), reg.map(r -> r.registered()).orElse(false),
                st.publishedTo(), new NodeStatus.Home(st.home().found(), st.home().rttMillis(), st.home().problem(),
                        link.standby().filter(RelayRegistration::registered).map(RelayRegistration::relay)),
                st.serving() ? Optional.of(st.modest() ? "modest" : "generous") : Optional.empty(), st.announced());
    }
}
