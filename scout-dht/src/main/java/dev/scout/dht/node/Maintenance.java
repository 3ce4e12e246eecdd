package dev.scout.dht.node;

import dev.scout.dht.lookup.RpcCallback;
import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.krpc.Query;
import dev.scout.dht.lookup.FindNodeLookup;

/**
 * A node's periodic upkeep (BEP 5), on its loop: expires stored peers and items, pings a few
 * questionable contacts and refreshes buckets nobody has touched for a while.
 */
final class Maintenance {
    /** Buckets untouched this long are refreshed by a lookup of a random id inside them (BEP 5). */
    static final long BUCKET_REFRESH_MILLIS = 15 * 60_000L;
    static final long MAINTENANCE_INTERVAL_MILLIS = 60_000L;
    /** Pings sent per maintenance round to questionable nodes. */
    private static final int PINGS_PER_MAINTENANCE = 8;

    private final NodeCore core;

    Maintenance(NodeCore core) {
        this.core = core;
    }

    void schedule() {
        // Jitter keeps thousands of simulated nodes from acting in lockstep.
        long delay = MAINTENANCE_INTERVAL_MILLIS / 2 + core.random().nextInt((int) MAINTENANCE_INTERVAL_MILLIS);
        core.schedule(core.now() + delay, () -> {
            maintain();
            schedule();
        });
    }

    private void maintain() {
        long now = core.now();
        core.peerStore().expire(now);
        core.itemStore().expire(now);
        int pinged = 0;
        for (NodeInfo n : core.routingTable().questionable(now)) {
            if (pinged++ >= PINGS_PER_MAINTENANCE) {
                break;
            }
            core.request(n, new Query.Ping(), RpcCallback.IGNORE);
        }
        for (NodeId target : core.routingTable().refreshTargets(now, BUCKET_REFRESH_MILLIS, core.random())) {
            core.startLookup(new FindNodeLookup(core, target));
        }
    }
}
