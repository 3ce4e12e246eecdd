package dev.scout.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scout.dht.Addresses;
import dev.scout.dht.node.NodeStats;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The running daemon's status: what {@code GET /v1/status} answers and {@code scout status} prints while
 * a daemon runs (live figures from the node over what the store last recorded).
 */
final class DaemonStatusView {
    private final AppContext ctx;
    private volatile String url;

    DaemonStatusView(AppContext ctx) {
        this.ctx = ctx;
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
        o.put("reachability", "unknown").put("nat", "unknown");
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
