package dev.scout.node;

import dev.scout.node.loops.AppLoops;
import dev.scout.node.sessions.SessionService;
import dev.scout.dht.udp.DualStackNode;
import dev.scout.node.nat.NatAwareness;
import dev.scout.node.net.NetworkChange;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What a node does when its network changes (issue 20), on the network watch's thread: it re-joins the
 * DHT forgetting what the old network taught it (silent nodes, external address votes, NAT verdicts),
 * renews its relay registration at once, waits (at most {@link #SETTLE_MILLIS}) until the DHT answers and
 * reports our external address again, then republishes its device entries and polls, all within the
 * 10 s the issue allows. It also tracks the node's connectivity for the status.
 */
final class NetworkRecovery implements Consumer<NetworkChange> {
    /** Longest wait for the DHT and the external address before republishing anyway. */
    static final long SETTLE_MILLIS = 7_000;
    private static final long SETTLE_STEP_MILLIS = 100;

    private final DualStackNode dht;
    private final NatAwareness nat;
    private final SessionService sessions;
    private final AppLoops loops;
    private final NodeEvents events;
    private volatile Instant offlineSince;
    private volatile NetworkStatus.Change lastChange;

    /**
     * Starts the watch of the network under {@code dht}: this recovery hears each change first, then
     * {@code remap} (port mappings); the DHT's own outages end as changes too ({@code dht_back}).
     */
    dev.scout.node.net.NetworkWatch watch(DualStackNode dht, Runnable remap) {
        dev.scout.node.net.NetworkWatch network = new dev.scout.node.net.NetworkWatch(() -> {
            try {
                return dht.externalAddresses().get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                return java.util.List.of();
            }
        });
        network.subscribe(this);
        network.subscribe(change -> remap.run());
        dht.onConnectivityChange(online -> {
            connectivity(online);
            if (online) {
                network.dhtBack();
            }
        });
        connectivity(!dht.offline()); // a node may have gone offline before it was ours (a failed join)
        network.start();
        return network;
    }

    NetworkRecovery(DualStackNode dht, NatAwareness nat, SessionService sessions, AppLoops loops, NodeEvents events) {
        this.dht = dht;
        this.nat = nat;
        this.sessions = sessions;
        this.loops = loops;
        this.events = events;
    }

    @Override
    public void accept(NetworkChange change) {
        lastChange = new NetworkStatus.Change(change.cause().label(), change.description(), Instant.now());
        events.publish(new NodeEvent.NetworkChanged(change.cause().label(), change.description()));
        if (change.cause() != NetworkChange.Cause.EXTERNAL_ADDRESS) {
            dht.networkChanged(); // the votes go too: the external address is learned afresh
            nat.relearn();
        }
        sessions.networkChanged();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
        try {
            while (System.nanoTime() < end && !settled()) {
                Thread.sleep(SETTLE_STEP_MILLIS); // bounded: republish with the new address, or without it after 7 s
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // closing
        }
        loops.wake();
    }

    private boolean settled() {
        if (dht.offline()) {
            return false;
        }
        try {
            return !dht.externalAddresses().get(1, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    /** The DHT's connectivity changed (a callback thread); announces it once per change. */
    synchronized void connectivity(boolean online) {
        boolean wasOnline = offlineSince == null;
        if (online == wasOnline) {
            return;
        }
        offlineSince = online ? null : Instant.now();
        events.publish(new NodeEvent.ConnectivityChanged(online));
    }

    NetworkStatus status() {
        Instant since = offlineSince;
        return new NetworkStatus(since == null, java.util.Optional.ofNullable(since),
                java.util.Optional.ofNullable(lastChange));
    }
}
