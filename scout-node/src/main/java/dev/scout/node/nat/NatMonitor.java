package dev.scout.node.nat;

import dev.scout.dht.Reachability;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The daemon's view of its own reachability (issue 12): pure decisions over what the node observed, so
 * they are tested without a network.
 *
 * <ul>
 * <li><b>Reachable</b> once a query arrives from an address the node had not contacted (no NAT mapping
 * of ours let it in: strangers can reach us). It stays so while such queries keep coming.</li>
 * <li><b>Unreachable</b> after a whole probe window with a healthy routing table and no unsolicited
 * query. The daemon then runs read-only (BEP 43) so other nodes do not keep a node in their tables that
 * none of them can reach; every re-probe interval it runs regular again for one window to look again.
 * A monitor made with {@code startReadOnly} (a host on a private network: {@link PrivateNetwork}) starts
 * so, and first looks after one re-probe interval.</li>
 * <li><b>NAT</b> from the {@code ip} votes: one external IP reported with many different ports (no port
 * with half of the votes) is a symmetric NAT, whose port for our contacts nobody can predict, so its
 * external address is not published; one consistent port is a cone NAT ({@code none} when the
 * external address is one of our own).</li>
 * </ul>
 */
public final class NatMonitor {
    public static final String UNKNOWN = "unknown";
    public static final String REACHABLE = "reachable";
    public static final String UNREACHABLE = "unreachable";
    /** A verdict needs at least this many nodes in the table (fewer: we have hardly been seen). */
    static final int MIN_TABLE = 8;
    /** Symmetric-NAT verdicts need at least this many voters for the external IP. */
    static final int MIN_VOTES = 4;

    private final long probeWindowMillis;
    private final long reprobeMillis;
    private String reachability = UNKNOWN;
    private String nat = UNKNOWN;
    private boolean readOnly;
    private long windowStart = -1;
    private long lastUnsolicited = -1;
    private long lastUnsolicitedAt = -1;
    private long nextProbeAt;

    NatMonitor(long probeWindowMillis, long reprobeMillis) {
        this(probeWindowMillis, reprobeMillis, false);
    }

    /** @param startReadOnly the node started read-only (behind a NAT almost surely): stay so until the first re-probe */
    NatMonitor(long probeWindowMillis, long reprobeMillis, boolean startReadOnly) {
        this.probeWindowMillis = probeWindowMillis;
        this.reprobeMillis = reprobeMillis;
        this.readOnly = startReadOnly;
    }

    /**
     * Takes one observation; returns whether the node should now run read-only.
     *
     * @param localPort      the node's UDP port
     * @param localAddresses this host's interface addresses
     */
    boolean update(long now, Reachability r, int tableSize, int localPort, Set<InetAddress> localAddresses) {
        nat = classify(r.votes(), localPort, localAddresses);
        if (windowStart < 0) {
            windowStart = now;
            lastUnsolicited = r.unsolicitedQueries();
            if (readOnly) {
                nextProbeAt = now + reprobeMillis;
            }
        }
        if (r.unsolicitedQueries() > lastUnsolicited) {
            lastUnsolicited = r.unsolicitedQueries();
            lastUnsolicitedAt = now;
            reachability = REACHABLE;
            readOnly = false;
            windowStart = now;
            return false;
        }
        if (readOnly) {
            if (now >= nextProbeAt) { // look again: regular for one window
                readOnly = false;
                windowStart = now;
            }
            return readOnly;
        }
        boolean quietWindow = now - Math.max(windowStart, lastUnsolicitedAt) >= probeWindowMillis;
        if (quietWindow && tableSize >= MIN_TABLE) {
            if (reachability.equals(REACHABLE) && now - lastUnsolicitedAt < 3 * probeWindowMillis) {
                return false; // recently reached; nodes query a healthy neighbour only every ~15 min
            }
            reachability = UNREACHABLE;
            readOnly = true;
            nextProbeAt = now + reprobeMillis;
        }
        return readOnly;
    }

    /**
     * Forgets the verdicts after a network change (another network, another NAT): the next updates
     * start a new probe window in regular mode.
     */
    void reset() {
        reachability = UNKNOWN;
        nat = UNKNOWN;
        readOnly = false;
        windowStart = -1;
        lastUnsolicitedAt = -1;
    }

    String reachability() {
        return reachability;
    }

    String nat() {
        return nat;
    }

    /** Whether the external address from the votes is worth publishing (not behind a symmetric NAT). */
    boolean publishExternal() {
        return !nat.equals("symmetric");
    }

    static String classify(Map<InetSocketAddress, Integer> votes, int localPort, Set<InetAddress> localAddresses) {
        Map<InetAddress, Integer> byIp = new HashMap<>();
        votes.forEach((a, n) -> byIp.merge(a.getAddress(), n, Integer::sum));
        InetAddress ip = byIp.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
        if (ip == null) {
            return UNKNOWN;
        }
        int total = byIp.get(ip);
        int bestPort = -1;
        int bestVotes = 0;
        for (Map.Entry<InetSocketAddress, Integer> e : votes.entrySet()) {
            if (e.getKey().getAddress().equals(ip) && e.getValue() > bestVotes) {
                bestVotes = e.getValue();
                bestPort = e.getKey().getPort();
            }
        }
        if (total >= MIN_VOTES && 2 * bestVotes < total) {
            return "symmetric";
        }
        if (bestPort == localPort && (ip.isLoopbackAddress() || localAddresses.contains(ip))) {
            return "none";
        }
        return "cone";
    }
}
