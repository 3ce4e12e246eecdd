package dev.scout.dht.storage;

import dev.scout.dht.NodeId;

import java.net.InetAddress;
import java.util.Optional;

/**
 * Where a node keeps the BEP 44 items others put on it. Items given to {@link #put} are already
 * verified; the store decides expiry, capacity and eviction. Called only from the node's loop.
 */
public interface ItemStore {
    /** BEP 44 items live two hours after their last put. */
    long ITEM_TTL_MILLIS = 2 * 60 * 60_000L;

    Optional<StoredItem> get(NodeId target, long now);

    /**
     * Stores or refreshes an item put by {@code from}.
     *
     * @return false if the store is full of items more worth keeping
     */
    boolean put(StoredItem item, InetAddress from, long now);

    /** Drops expired items. */
    void expire(long now);

    int count();

    long bytes();
}
