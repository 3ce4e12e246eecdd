package dev.scout.dht.storage;

import dev.scout.dht.NodeId;
import dev.scout.dht.MutableItem;

/**
 * An item held by this node for others: either immutable ({@code mutable == null}) or a verified
 * mutable item, with bookkeeping for expiry and eviction.
 *
 * @param target      the DHT key
 * @param immutable   the bencoded value of an immutable item, or null
 * @param mutable     the verified mutable item, or null
 * @param lastPut     time of the most recent put (expiry counts from here)
 * @param storerCount distinct IPs that have put this item (eviction keeps popular items)
 */
public record StoredItem(NodeId target, byte[] immutable, MutableItem mutable, long lastPut, int storerCount) {
    public boolean isMutable() {
        return mutable != null;
    }

    /** The bencoded value. */
    public byte[] value() {
        return mutable != null ? mutable.value() : immutable.clone();
    }

    /** Bytes this item costs the store (value plus key and signature). */
    public int size() {
        return mutable != null ? mutable.value().length + 96 + mutable.salt().length : immutable.length;
    }
}
