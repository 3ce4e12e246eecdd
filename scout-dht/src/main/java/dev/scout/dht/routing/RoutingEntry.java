package dev.scout.dht.routing;

import dev.scout.dht.NodeInfo;

/** One contact in the routing table with the history BEP 5 states are computed from. Loop-confined. */
public final class RoutingEntry {
    /** BEP 5: a node is good for 15 minutes after it was last heard from. */
    public static final long GOOD_MILLIS = 15 * 60_000L;
    /** Consecutive unanswered queries after which a node is bad. */
    public static final int BAD_AFTER_FAILURES = 2;

    private final NodeInfo node;
    private final long added;
    private final boolean verified;
    private long lastResponse = -1;
    private long lastSeen;
    private int failures;
    private long rttMillis = -1;

    RoutingEntry(NodeInfo node, long now) {
        this.node = node;
        this.added = now;
        this.lastSeen = now;
        this.verified = dev.scout.dht.Bep42.isValid(node.id(), node.address().getAddress());
    }

    /** True when the id matches the node's IP under BEP 42 (or the IP is exempt). */
    public boolean verified() {
        return verified;
    }

    public NodeInfo node() {
        return node;
    }

    public long lastSeen() {
        return lastSeen;
    }

    public long lastResponse() {
        return lastResponse;
    }

    public long added() {
        return added;
    }

    public int failures() {
        return failures;
    }

    /** Smoothed round-trip time of this node's answers, or -1 if unknown. */
    public long rttMillis() {
        return rttMillis;
    }

    public NodeState state(long now) {
        if (failures >= BAD_AFTER_FAILURES) {
            return NodeState.BAD;
        }
        if (lastResponse >= 0 && now - lastSeen < GOOD_MILLIS) {
            return NodeState.GOOD;
        }
        return NodeState.QUESTIONABLE;
    }

    void responded(long now, long rtt) {
        lastResponse = now;
        lastSeen = now;
        failures = 0;
        if (rtt >= 0) {
            rttMillis = rttMillis < 0 ? rtt : (rttMillis * 7 + rtt) / 8;
        }
    }

    void queriedUs(long now) {
        lastSeen = now;
    }

    void failed() {
        failures++;
    }
}
