package dev.scout.dht.node;

import dev.scout.dht.Bep42;
import dev.scout.dht.NodeId;
import dev.scout.dht.routing.RoutingTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Random;

/**
 * When a node takes a new, BEP 42-conforming id. A node that starts without saved state does not know
 * its external address and picks a random id; BEP 42-verifying nodes (libtorrent, mldht) then keep it
 * out of their tables. Once responders agree on our address, the node re-keys — but only when:
 * <ul>
 *   <li>the voted address is settled: at least {@value #MIN_VOTERS} responders (distinct IPs) report
 *       it and they are a majority of all current voters, so a single liar or a split vote never
 *       triggers it;</li>
 *   <li>the address is of the node's own family and not exempt (loopback, private: any id conforms);</li>
 *   <li>the current id does not conform to it;</li>
 *   <li>the last re-key is at least {@value #HOLD_MILLIS} ms ago, so voters flipping between two
 *       addresses cannot make the node re-key again and again.</li>
 * </ul>
 * An id given explicitly in the config ({@code DhtConfig.nodeId}) is never changed. Holds the node's
 * current id; changed on the loop thread only, read from any thread.
 */
final class Bep42Rekey {
    private static final Logger LOG = LoggerFactory.getLogger(NodeCore.class);
    /** Distinct responders that must report the same address before it counts as settled. */
    static final int MIN_VOTERS = 4;
    /** Minimum time between two re-keys of one node. */
    static final long HOLD_MILLIS = 10 * 60_000L;

    private final boolean fixedId;
    private volatile NodeId id;
    private Runnable listener = () -> { };
    private boolean rekeyed;
    private long lastRekey;
    /** The (settled address, id) pair last found conforming or held back: not checked again. */
    private InetSocketAddress checkedAddress;
    private NodeId checkedId;

    /** @param fixedId whether {@code id} was given explicitly (then it is kept) */
    Bep42Rekey(NodeId id, boolean fixedId) {
        this.id = id;
        this.fixedId = fixedId;
    }

    /** {@return the node's current id} */
    NodeId id() {
        return id;
    }

    /** Runs {@code listener} on the loop after each re-key, e.g. to save the id. */
    void onChange(Runnable listener) {
        this.listener = listener;
    }

    /**
     * After a vote on our external address: re-keys the node if the rule says so — takes the new id,
     * re-buckets {@code table} under it, makes {@code server}'s answers carry it and tells the listener.
     *
     * @return true if the node re-keyed (the caller then announces the new id)
     */
    boolean afterVote(ReachabilityObserver reachability, InetSocketAddress voter, long now, Random random,
                      RoutingTable table, QueryServer server) {
        NodeId fresh = newIdFor(id, reachability.settledExternalAddress(MIN_VOTERS),
                voter.getAddress() instanceof Inet6Address, now, random);
        if (fresh == null) {
            return false;
        }
        LOG.info("node id {} does not match our external address {} (BEP 42): re-keying to {}", id,
                reachability.externalAddress(), fresh);
        id = fresh;
        table.rekey(fresh, now);
        server.ownId(fresh);
        listener.run();
        return true;
    }

    /**
     * The id to switch to now, or null to keep {@code current}.
     *
     * @param settled the settled external address (null while there is none)
     * @param ipv6    whether the node's family is IPv6
     */
    NodeId newIdFor(NodeId current, InetSocketAddress settled, boolean ipv6, long now, Random random) {
        if (fixedId || settled == null || (settled.equals(checkedAddress) && current.equals(checkedId))) {
            return null;
        }
        if ((settled.getAddress() instanceof Inet6Address) != ipv6 || Bep42.isValid(current, settled.getAddress())) {
            checkedAddress = settled;
            checkedId = current;
            return null;
        }
        if (rekeyed && now - lastRekey < HOLD_MILLIS) {
            return null; // checked again on a later vote once the hold is over
        }
        rekeyed = true;
        lastRekey = now;
        return Bep42.idFor(settled.getAddress(), random);
    }
}
