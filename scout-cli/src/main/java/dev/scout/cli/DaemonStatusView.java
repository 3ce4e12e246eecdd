package dev.scout.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scout.dht.Addresses;
import dev.scout.dht.node.NodeStats;

import dev.scout.dht.node.Reachability;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The running daemon's status: what {@code GET /v1/status} answers and {@code scout status} prints while
 * a daemon runs (live figures from the node over what the store last recorded).
 */
final class DaemonStatusView {
    static final String STATUS_REACHABILITY = "reachability";
    static final String STATUS_NAT = "nat";

    private final AppContext ctx;
    private final NatMonitor nat;
    private volatile String url;

    DaemonStatusView(AppContext ctx, long probeWindowMillis, long reprobeMillis) {
        this.ctx = ctx;
        this.nat = new NatMonitor(probeWindowMillis, reprobeMillis);
    }

    /**
     * Looks at the node's reachability: switches it read-only while unreachable (and back), stops
     * publishing the external address behind a symmetric NAT, records both for {@code scout status}.
     * Returns a line to log when the verdict changed, else null.
     */
    synchronized String checkReachability() {
        String before = nat.reachability() + "/" + nat.nat();
        try {
            Reachability r = ctx.node().reachability().get(5, TimeUnit.SECONDS);
            int table = ctx.node().stats().get(5, TimeUnit.SECONDS).routingTableSize();
            boolean readOnly = nat.update(System.currentTimeMillis(), r, table, ctx.node().localAddress().getPort(),
                    localAddresses());
            if (readOnly != r.readOnly()) {
                ctx.node().setReadOnly(readOnly).get(5, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            return null; // the node is busy or closing: look again at the next poll
        }
        ctx.publishExternal(nat.publishExternal());
        ctx.store().putStatus(STATUS_REACHABILITY, nat.reachability());
        ctx.store().putStatus(STATUS_NAT, nat.nat());
        String after = nat.reachability() + "/" + nat.nat();
        if (after.equals(before)) {
            return null;
        }
        return "reachability: " + nat.reachability() + (nat.reachability().equals(NatMonitor.UNREACHABLE)
                ? " (no stranger reached us in a whole probe window; running read-only)" : "")
                + ", NAT: " + nat.nat() + (nat.publishExternal() ? "" : " (its external port is not published)");
    }

    private static Set<InetAddress> localAddresses() {
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

    /** The NAT verdict so far ({@code unknown}, {@code none}, {@code cone}, {@code symmetric}). */
    synchronized String nat() {
        return nat.nat();
    }

    void started(String apiUrl) {
        this.url = apiUrl;
    }

    /** Asks the node for its figures, records them in the store (for {@code scout status} later), returns the status. */
    ObjectNode record() {
        int tableSize = 0;
        Optional<InetSocketAddress> external = Optional.empty();
        try {
            NodeStats stats = ctx.node().stats().get(5, TimeUnit.SECONDS);
            tableSize = stats.routingTableSize();
            external = ctx.node().externalAddress().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // status is best effort
        }
        ctx.store().recordRoutingTableSize(tableSize);
        ctx.store().recordExternalAddress(external.orElse(null));
        return json();
    }

    /** The status as recorded, with the live facts of this process. */
    ObjectNode json() {
        ObjectNode o = StatusCommand.storedJson(ctx.store().daemonStatus());
        synchronized (this) {
            o.put("reachability", nat.reachability()).put("nat", nat.nat());
        }
        o.put("running", true).put("pid", ProcessHandle.current().pid()).put("api_url", url)
                .put("port", ctx.node().localAddress().getPort())
                .put("local_address", Addresses.format(ctx.node().localAddress()));
        try {
            o.put("routing_table_size", ctx.node().stats().get(5, TimeUnit.SECONDS).routingTableSize());
            ctx.node().externalAddress().get(5, TimeUnit.SECONDS)
                    .ifPresent(a -> o.put("external_address", Addresses.format(a)));
        } catch (Exception e) {
            // keep the recorded figures
        }
        return o;
    }
}
