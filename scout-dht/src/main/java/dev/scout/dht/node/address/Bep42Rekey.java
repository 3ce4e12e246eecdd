package dev.scout.dht.node.address;

import dev.scout.dht.server.QueryServer;
import dev.scout.dht.routing.Bep42;
import dev.scout.dht.NodeId;
import dev.scout.dht.routing.RoutingTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Random;

/**
 * When a node takes a new, BEP 42-conforming id. A node that starts without saved state does not know
 * its external address and picks a random id; BEP 42-verifying nodes (libtorrent, mldht) then keep it
 * out of their tables. Once responders agree on our address, the node re-keys — but only when:
 * <ul>
 *   <li>the voted IP is settled: at least {@value #MIN_VOTERS} responders (distinct IPs, their latest
 *       vote each) report it, whatever port they see (a symmetric NAT shows each another), and they are
 *       a majority of all current voters, so a single liar or a split vote never triggers it;</li>
 *   <li>the address is of the node's own family and not exempt (loopback, private: any id conforms);</li>
 *   <li>the current id does not conform to it;</li>
 *   <li>the last re-key is at least {@value #HOLD_MILLIS} ms ago, so voters flipping between two
 *       addresses cannot make the node re-key again and again.</li>
 * </ul>
 * An id given explicitly in the config ({@code DhtConfig.nodeId}) is never changed. Holds the node's
 * current id; changed on the loop thread only, read from any thread.
 */
public final class Bep42Rekey {
    private static final Logger LOG = LoggerFactory.getLogger("dev.scout.dht.node.NodeCore"); // logs as the core it serves
    /** Distinct responders that must report the same address before it counts as settled. */
    public static final int MIN_VOTERS = 4;
    /** Minimum time between two re-keys of one node. */
    public static final long HOLD_MILLIS = 10 * 60_000L;

    private final boolean fixedId;
    private volatile NodeId id;
    private Runnable listener = () -> { };
    private boolean rekeyed;
    private long lastRekey;
    /** The (settled IP, id) pair last found conforming or of the other family: not checked again. */
    private InetAddress checkedIp;
    private NodeId checkedId;

    /** @param fixedId whether {@code id} was given explicitly (then it is kept) */
    public Bep42Rekey(NodeId id, boolean fixedId) {
        this.id = id;
        this.fixedId = fixedId;
    }

    /** {@return the node's current id} */
    public NodeId id() {
        return id;
    }

    /** Runs {@code listener} on the loop after each re-key, e.g. to save the id. */
    public void onChange(Runnable listener) {
        this.listener = listener;
    }

    /**
     * After {@code voter} reported {@code reported} as our address: re-keys the node if the rule says so
     * — takes the new id, re-buckets {@code table} under it, makes {@code server}'s answers carry it and
     * tells the listener. A settled IP is seen again with each vote for it, so one check per vote suffices.
     *
     * @return true if the node re-keyed (the caller then announces the new id)
     */
    public boolean afterVote(ReachabilityObserver reachability, InetSocketAddress voter, InetSocketAddress reported,
                      long now, Random random, RoutingTable table, QueryServer server) {
        InetAddress ip = reported.getAddress();
        NodeId fresh = newIdFor(id, reachability.settledIp(ip, MIN_VOTERS) ? ip : null,
                voter.getAddress() instanceof Inet6Address, now, random);
        if (fresh == null) {
            return false;
        }
        LOG.info("node id {} does not match our external IP {} (BEP 42): re-keying to {}", id,
                ip.getHostAddress(), fresh);
        id = fresh;
        table.rekey(fresh, now);
        server.ownId(fresh);
        listener.run();
        return true;
    }

    /**
     * The id to switch to now, or null to keep {@code current}.
     *
     * @param settled the settled external IP (null while there is none)
     * @param ipv6    whether the node's family is IPv6
     */
    public NodeId newIdFor(NodeId current, InetAddress settled, boolean ipv6, long now, Random random) {
        if (fixedId || settled == null || (settled.equals(checkedIp) && current.equals(checkedId))) {
            return null;
        }
        if ((settled instanceof Inet6Address) != ipv6 || Bep42.isValid(current, settled)) {
            checkedIp = settled;
            checkedId = current;
            return null;
        }
        if (rekeyed && now - lastRekey < HOLD_MILLIS) {
            return null; // checked again on a later vote once the hold is over
        }
        rekeyed = true;
        lastRekey = now;
        return Bep42.idFor(settled, random);
    }
}
