package dev.scout.cli.daemon;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scout.cli.api.sessions.DaemonSessions;
import dev.scout.dht.Addresses;
import dev.scout.node.NodeStatus;
import dev.scout.node.ScoutNode;
import dev.scout.sqlite.StateStore;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * The running daemon's status: what {@code GET /v1/status} answers and {@code scout status} prints while
 * a daemon runs (live figures from the node over what the store last recorded).
 *
 * <p>Reachability and NAT are judged per address family by the node (docs/operations.md):
 * {@code reachability}/{@code nat} report the first family (IPv4 when present),
 * {@code reachability_v6}/{@code nat_v6} the IPv6 one when the daemon has both.
 */
public final class DaemonStatusView {
    public static final String STATUS_REACHABILITY = "reachability";
    public static final String STATUS_NAT = "nat";

    private final ScoutNode node;
    private final StateStore store;
    private volatile String url;

    public DaemonStatusView(ScoutNode node, StateStore store) {
        this.node = node;
        this.store = store;
    }

    public void started(String apiUrl) {
        this.url = apiUrl;
    }

    /** Asks the node for its figures, records them in the store (for {@code scout status} later), returns the status. */
    public ObjectNode record() {
        NodeStatus s = node.status();
        store.status().putStatus(STATUS_REACHABILITY, s.reachability());
        store.status().putStatus(STATUS_NAT, s.nat());
        store.status().putStatus(STATUS_REACHABILITY + "_v6", s.reachabilityV6().orElse(""));
        store.status().putStatus(STATUS_NAT + "_v6", s.natV6().orElse(""));
        store.status().recordRoutingTableSize(s.routingTableSize());
        store.status().recordExternalAddress(family(s.externalAddresses(), false).orElse(null));
        store.status().putStatus(DaemonCommand.STATUS_EXTERNAL_V6, family(s.externalAddresses(), true).map(Addresses::format).orElse(""));
        return json(s);
    }

    private static Optional<InetSocketAddress> family(List<InetSocketAddress> addresses, boolean ipv6) {
        return addresses.stream().filter(a -> (a.getAddress() instanceof Inet6Address) == ipv6).findFirst();
    }

    /** The status as recorded, with the live facts of this process. */
    public ObjectNode json() {
        return json(node.status());
    }

    private ObjectNode json(NodeStatus s) {
        ObjectNode o = StatusCommand.storedJson(store.status().daemonStatus());
        o.put("reachability", s.reachability()).put("nat", s.nat());
        s.reachabilityV6().ifPresent(r -> o.put("reachability_v6", r));
        s.natV6().ifPresent(n -> o.put("nat_v6", n));
        InetSocketAddress local = s.localAddresses().get(0);
        o.put("running", true).put("pid", ProcessHandle.current().pid()).put("api_url", url)
                .put("port", local.getPort())
                .put("local_address", Addresses.format(local));
        ArrayNode all = o.putArray("local_addresses");
        s.localAddresses().forEach(a -> all.add(Addresses.format(a)));
        o.put("routing_table_size", s.routingTableSize());
        family(s.externalAddresses(), false).ifPresent(a -> o.put("external_address", Addresses.format(a)));
        family(s.externalAddresses(), true).ifPresent(a -> o.put("external_address_v6", Addresses.format(a)));
        o.set("relay", DaemonSessions.relayJson(s.relay()));
        o.set("port_mapping", node.portMapping().<com.fasterxml.jackson.databind.JsonNode>map(DaemonStatusView::portMappingJson)
                .orElse(com.fasterxml.jackson.databind.node.NullNode.getInstance()));
        o.set("network", network(node.network()));
        return o;
    }

    /** {@code network}: whether the DHT answers, since when not, and the last network change. */
    private static ObjectNode network(dev.scout.node.NetworkStatus n) {
        ObjectNode o = dev.scout.cli.api.Jackson.object().put("online", n.online());
        n.offlineSince().ifPresent(t -> o.put("offline_since", t.toString()));
        n.lastChange().ifPresent(c -> o.putObject("last_change").put("cause", c.cause())
                .put("description", c.description()).put("at", c.at().toString()));
        return o;
    }

    /** {@code {protocol, external, expires}} (expires null: a permanent UPnP lease, deleted at stop). */
    private static ObjectNode portMappingJson(dev.scout.node.PortMapping m) {
        return dev.scout.cli.api.Jackson.object().put("protocol", m.protocol()).put("external", Addresses.format(m.external()))
                .put("expires", m.expires().map(dev.scout.cli.api.Views::time).orElse(null));
    }
}
