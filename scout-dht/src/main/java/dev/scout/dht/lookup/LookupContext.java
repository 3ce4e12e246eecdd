package dev.scout.dht.lookup;

import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.krpc.Query;

import java.net.InetSocketAddress;
import java.util.List;

/** What a lookup needs from the node it runs on. All calls happen on the node's loop. */
public interface LookupContext {
    long now();

    NodeId ownId();

    /** Parallel requests per lookup. */
    int alpha();

    /** Sends {@code query} to {@code node}, whose id is known; the routing table learns from the outcome. */
    void request(NodeInfo node, Query query, RpcCallback callback);

    /** Sends {@code query} to an address whose id is unknown (a bootstrap router). */
    void request(InetSocketAddress address, Query query, RpcCallback callback);

    /**
     * True when a request to {@code address} recently went unanswered (and nothing was heard from it
     * since): lookups skip such candidates instead of spending a slow timeout on them again.
     */
    default boolean recentlyUnresponsive(InetSocketAddress address) {
        return false;
    }

    /**
     * A lookup started with nobody to ask: every known node failed or went silent and there were no
     * routers. A node on a real network takes it as its own outage. Default: nothing happens.
     */
    default void nothingToAsk() {
    }

    /**
     * Ids sharing at least this many leading bits with a lookup's target are suspiciously close: far
     * closer than the network's size makes likely for an honest node (a Sybil cluster placed next to the
     * target). Such nodes are asked but do not count towards K. Default: nothing is suspicious.
     */
    default int suspiciousPrefixBits() {
        return dev.scout.dht.NodeId.BITS + 1;
    }

    /**
     * Runs {@code action} on the loop after {@code delayMillis}. The default runs it at once (a context
     * without timers gives lookups no grace period).
     */
    default void after(long delayMillis, Runnable action) {
        action.run();
    }

    /** Closest known good or questionable nodes to {@code target}. */
    List<NodeInfo> closest(NodeId target, int count);
}
