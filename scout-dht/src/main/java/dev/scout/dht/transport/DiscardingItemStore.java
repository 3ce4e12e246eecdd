package dev.scout.dht.transport;

import dev.scout.dht.NodeId;
import dev.scout.dht.storage.ItemStore;
import dev.scout.dht.storage.StoredItem;

import java.net.InetAddress;
import java.util.Optional;

/**
 * An item store that accepts every put and keeps nothing, so the node answers every get without a
 * value: a hostile (Sybil) node for simulations, given to {@link SimNetwork#addNode(NodeId,
 * dev.scout.dht.DhtConfig, ItemStore)}.
 */
public final class DiscardingItemStore implements ItemStore {
    @Override
    public Optional<StoredItem> get(NodeId target, long now) {
        return Optional.empty();
    }

    @Override
    public boolean put(StoredItem item, InetAddress from, long now) {
        return true;
    }

    @Override
    public void expire(long now) {
    }

    @Override
    public int count() {
        return 0;
    }

    @Override
    public long bytes() {
        return 0;
    }
}
