package dev.scout.dht.routing;

import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * One contact in the routing table with the history BEP 5 states are computed from. Loop-confined.
 *
 * <p>An IPv4 address is kept as an int and a port rather than as an {@link InetSocketAddress} (four
 * objects, 96 bytes), which with hundreds of entries per node is most of a node's heap; {@link #node()}
 * rebuilds the contact when asked.
 */
public final class RoutingEntry {
    /** BEP 5: a node is good for 15 minutes after it was last heard from. */
    public static final long GOOD_MILLIS = 15 * 60_000L;
    /** Consecutive unanswered queries after which a node is bad. */
    public static final int BAD_AFTER_FAILURES = 2;

    private final NodeId id;
    private final int ipv4;
    private final char port;
    private final InetSocketAddress other; // any address that is not a resolved IPv4 one, as it came
    private final long added;
    private final boolean verified;
    private long lastResponse = -1;
    private long lastSeen;
    private int failures;
    private long rttMillis = -1;

    RoutingEntry(NodeInfo node, long now) {
        this.id = node.id();
        InetSocketAddress a = node.address();
        if (a.getAddress() instanceof Inet4Address) {
            this.ipv4 = ipv4(a);
            this.port = (char) a.getPort();
            this.other = null;
        } else {
            this.ipv4 = 0;
            this.port = 0;
            this.other = a;
        }
        this.added = now;
        this.lastSeen = now;
        this.verified = dev.scout.dht.routing.Bep42.isValid(node.id(), node.address().getAddress());
    }

    /** True when the id matches the node's IP under BEP 42 (or the IP is exempt). */
    public boolean verified() {
        return verified;
    }

    public NodeId id() {
        return id;
    }

    /** The contact; a new object on each call (the entry keeps the address compact). */
    public NodeInfo node() {
        return new NodeInfo(id, address());
    }

    public InetSocketAddress address() {
        if (other != null) {
            return other;
        }
        byte[] b = {(byte) (ipv4 >>> 24), (byte) (ipv4 >>> 16), (byte) (ipv4 >>> 8), (byte) ipv4};
        try {
            return new InetSocketAddress(InetAddress.getByAddress(b), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen for 4 bytes
        }
    }

    /** True when this entry's address equals {@code a}. */
    public boolean hasAddress(InetSocketAddress a) {
        if (other != null) {
            return other.equals(a);
        }
        return a.getPort() == port && a.getAddress() instanceof Inet4Address && ipv4(a) == ipv4;
    }

    /** True when this entry is {@code node}: same id and address. */
    public boolean is(NodeInfo node) {
        return id.equals(node.id()) && hasAddress(node.address());
    }

    private static int ipv4(InetSocketAddress a) {
        byte[] b = a.getAddress().getAddress();
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
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
