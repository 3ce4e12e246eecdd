package dev.scout.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scout.dht.Addresses;
import dev.scout.dht.udp.DhtNode;
import dev.scout.dht.Reachability;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The running daemon's status: what {@code GET /v1/status} answers and {@code scout status} prints while
 * a daemon runs (live figures from the node over what the store last recorded).
 *
 * <p>Reachability and NAT are judged per address family (docs/operations.md): each family's
 * {@link DhtNode} has its own {@link NatMonitor}, runs read-only while that family is unreachable (an
 * IPv6 firewall blocks strangers as surely as an IPv4 NAT), and publishes its external address unless
 * that family sits behind a symmetric NAT. {@code reachability}/{@code nat} report the first family
 * (IPv4 when present), {@code reachability_v6}/{@code nat_v6} the IPv6 one when the daemon has both.
 */
final class DaemonStatusView {
    static final String STATUS_REACHABILITY = "reachability";
    static final String STATUS_NAT = "nat";

    private final AppContext ctx;
    /** One monitor per family node, IPv4 first. */
    private final Map<DhtNode, NatMonitor> monitors = new LinkedHashMap<>();
    private volatile String url;

    DaemonStatusView(AppContext ctx, long probeWindowMillis, long reprobeMillis) {
        this(ctx, probeWindowMillis, reprobeMillis, false);
    }

    /** @param ipv4ReadOnly the IPv4 node started read-only ({@link PrivateNetwork}); its monitor keeps it so */
    DaemonStatusView(AppContext ctx, long probeWindowMillis, long reprobeMillis, boolean ipv4ReadOnly) {
        this.ctx = ctx;
        for (DhtNode n : ctx.node().families()) {
            monitors.put(n, new NatMonitor(probeWindowMillis, reprobeMillis, ipv4ReadOnly && !isIpv6(n)));
        }
    }

    /**
     * Looks at each family's reachability: switches that family read-only while unreachable (and back),
     * stops publishing its external address behind a symmetric NAT, records the verdicts for {@code scout
     * status}. Returns a line to log when a verdict changed, else null.
     */
    synchronized String checkReachability() {
        String before = verdicts();
        Set<InetAddress> local = localAddresses();
        for (Map.Entry<DhtNode, NatMonitor> e : monitors.entrySet()) {
            DhtNode node = e.getKey();
            NatMonitor nat = e.getValue();
            try {
                Reachability r = node.reachability().get(5, TimeUnit.SECONDS);
                int table = node.stats().get(5, TimeUnit.SECONDS).routingTableSize();
                boolean readOnly = nat.update(System.currentTimeMillis(), r, table, node.localAddress().getPort(), local);
                if (readOnly != r.readOnly()) {
                    node.setReadOnly(readOnly).get(5, TimeUnit.SECONDS);
                }
            } catch (Exception ex) {
                // the node is busy or closing: look again at the next poll
            }
        }
        ctx.publishExternal(monitor(false).map(NatMonitor::publishExternal).orElse(true),
                monitor(true).map(NatMonitor::publishExternal).orElse(true));
        NatMonitor first = monitors.values().iterator().next();
        ctx.store().putStatus(STATUS_REACHABILITY, first.reachability());
        ctx.store().putStatus(STATUS_NAT, first.nat());
        Optional<NatMonitor> v6 = secondIpv6();
        ctx.store().putStatus(STATUS_REACHABILITY + "_v6", v6.map(NatMonitor::reachability).orElse(""));
        ctx.store().putStatus(STATUS_NAT + "_v6", v6.map(NatMonitor::nat).orElse(""));
        String after = verdicts();
        if (after.equals(before)) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<DhtNode, NatMonitor> e : monitors.entrySet()) {
            NatMonitor nat = e.getValue();
            String family = monitors.size() > 1 ? (isIpv6(e.getKey()) ? "IPv6 " : "IPv4 ") : "";
            parts.add(family + "reachability: " + nat.reachability() + (nat.reachability().equals(NatMonitor.UNREACHABLE)
                    ? " (no stranger reached us in a whole probe window; running read-only)" : "")
                    + ", NAT: " + nat.nat() + (nat.publishExternal() ? "" : " (its external port is not published)"));
        }
        return String.join("; ", parts);
    }

    private String verdicts() {
        StringBuilder b = new StringBuilder();
        monitors.values().forEach(m -> b.append(m.reachability()).append('/').append(m.nat()).append(' '));
        return b.toString();
    }

    private Optional<NatMonitor> monitor(boolean ipv6) {
        return monitors.entrySet().stream().filter(e -> isIpv6(e.getKey()) == ipv6).map(Map.Entry::getValue).findFirst();
    }

    /** The IPv6 monitor when the daemon runs both families (the only family is reported as the first). */
    private Optional<NatMonitor> secondIpv6() {
        return monitors.size() > 1 ? monitor(true) : Optional.empty();
    }

    private static boolean isIpv6(DhtNode n) {
        return n.localAddress().getAddress() instanceof Inet6Address;
    }

    /** This host's interface addresses (none if they cannot be listed). */
    static Set<InetAddress> localAddresses() {
        Set<InetAddress> out = new HashSet<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                out.addAll(Collections.list(nif.getInetAddresses()));
            }
        } catch (SocketException e) {
            // none listed
        }
        return out;
    }

    /**
     * The NAT verdict so far ({@code unknown}, {@code none}, {@code cone}, {@code symmetric}) of the IPv4
     * family (or the only family): the one direct sessions punch through.
     */
    synchronized String nat() {
        return monitors.values().iterator().next().nat();
    }

    void started(String apiUrl) {
        this.url = apiUrl;
    }

    /** Asks the node for its figures, records them in the store (for {@code scout status} later), returns the status. */
    ObjectNode record() {
        int tableSize = 0;
        List<InetSocketAddress> externals = List.of();
        try {
            tableSize = ctx.node().stats().get(5, TimeUnit.SECONDS).routingTableSize();
            externals = ctx.node().externalAddresses().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // status is best effort
        }
        ctx.store().recordRoutingTableSize(tableSize);
        ctx.store().recordExternalAddress(family(externals, false).orElse(null));
        ctx.store().putStatus(DaemonCommand.STATUS_EXTERNAL_V6, family(externals, true).map(Addresses::format).orElse(""));
        return json();
    }

    private static Optional<InetSocketAddress> family(List<InetSocketAddress> addresses, boolean ipv6) {
        return addresses.stream().filter(a -> (a.getAddress() instanceof Inet6Address) == ipv6).findFirst();
    }

    /** The status as recorded, with the live facts of this process. */
    ObjectNode json() {
        ObjectNode o = StatusCommand.storedJson(ctx.store().daemonStatus());
        synchronized (this) {
            NatMonitor first = monitors.values().iterator().next();
            o.put("reachability", first.reachability()).put("nat", first.nat());
            secondIpv6().ifPresent(m -> o.put("reachability_v6", m.reachability()).put("nat_v6", m.nat()));
        }
        o.put("running", true).put("pid", ProcessHandle.current().pid()).put("api_url", url)
                .put("port", ctx.node().localAddress().getPort())
                .put("local_address", Addresses.format(ctx.node().localAddress()));
        ArrayNode all = o.putArray("local_addresses");
        ctx.node().localAddresses().forEach(a -> all.add(Addresses.format(a)));
        try {
            o.put("routing_table_size", ctx.node().stats().get(5, TimeUnit.SECONDS).routingTableSize());
            List<InetSocketAddress> externals = ctx.node().externalAddresses().get(5, TimeUnit.SECONDS);
            family(externals, false).ifPresent(a -> o.put("external_address", Addresses.format(a)));
            family(externals, true).ifPresent(a -> o.put("external_address_v6", Addresses.format(a)));
        } catch (Exception e) {
            // keep the recorded figures
        }
        return o;
    }
}
