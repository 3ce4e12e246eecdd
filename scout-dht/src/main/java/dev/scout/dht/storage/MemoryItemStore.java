package dev.scout.dht.storage;

import dev.scout.dht.NodeId;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * In-memory {@link ItemStore} capped by item count and total bytes. When full, the least important item
 * is evicted — fewest distinct storers, then farthest from our own id (as libtorrent does) — but only
 * for a newcomer that is more important; otherwise the newcomer is refused.
 */
public final class MemoryItemStore implements ItemStore {
    /** Distinct storer IPs remembered per item; beyond this an item is simply "popular". */
    private static final int MAX_TRACKED_STORERS = 16;

    private final NodeId ownId;
    private final int maxItems;
    private final long maxBytes;
    private final Map<NodeId, Slot> items = new HashMap<>();
    private long bytes;

    private static final class Slot {
        StoredItem item;
        final Set<InetAddress> storers = new HashSet<>();
    }

    public MemoryItemStore(NodeId ownId, int maxItems, long maxBytes) {
        this.ownId = ownId;
        this.maxItems = maxItems;
        this.maxBytes = maxBytes;
    }

    @Override
    public Optional<StoredItem> get(NodeId target, long now) {
        Slot slot = items.get(target);
        if (slot == null || expired(slot.item, now)) {
            return Optional.empty();
        }
        return Optional.of(slot.item);
    }

    @Override
    public boolean put(StoredItem item, InetAddress from, long now) {
        Slot slot = items.get(item.target());
        if (slot == null) {
            expireIfFull(now);
        }
        // An update may grow the item (a mutable value up to 1000 bytes), so it is held to the byte cap too.
        long replaced = slot == null ? 0 : slot.item.size();
        int storers = slot == null ? 1 : slot.storers.size();
        if ((slot == null && items.size() >= maxItems) || bytes - replaced + item.size() > maxBytes) {
            // Choose every victim first and evict only if the newcomer then fits: a refused put must not
            // have thrown anything out on the way.
            List<NodeId> victims = victimsFor(item, slot == null, replaced, storers);
            if (victims == null) {
                return false;
            }
            victims.forEach(this::remove);
        }
        if (slot == null) {
            slot = new Slot();
            items.put(item.target(), slot);
        }
        bytes -= replaced;
        if (slot.storers.size() < MAX_TRACKED_STORERS) {
            slot.storers.add(from);
        }
        slot.item = new StoredItem(item.target(), item.immutable(), item.mutable(), now, slot.storers.size());
        bytes += slot.item.size();
        return true;
    }

    private void expireIfFull(long now) {
        if (items.size() >= maxItems || bytes >= maxBytes) {
            expire(now);
        }
    }

    /** The least important items whose removal makes room for {@code item}, or null if they are worth more. */
    private List<NodeId> victimsFor(StoredItem item, boolean isNew, long replaced, int storers) {
        if (item.size() > maxBytes) {
            return null;
        }
        List<NodeId> order = new ArrayList<>(items.keySet());
        order.remove(item.target());
        order.sort((a, b) -> moreImportant(a, items.get(a).storers.size(), b, items.get(b).storers.size()) ? 1
                : moreImportant(b, items.get(b).storers.size(), a, items.get(a).storers.size()) ? -1 : 0);
        List<NodeId> victims = new ArrayList<>();
        long freed = 0;
        for (NodeId v : order) {
            boolean fits = (!isNew || items.size() - victims.size() < maxItems)
                    && bytes - replaced - freed + item.size() <= maxBytes;
            if (fits) {
                return victims;
            }
            if (!moreImportant(item.target(), storers, v, items.get(v).storers.size())) {
                return null;
            }
            victims.add(v);
            freed += items.get(v).item.size();
        }
        boolean fits = (!isNew || items.size() - victims.size() < maxItems) && bytes - replaced - freed + item.size() <= maxBytes;
        return fits ? victims : null;
    }

    /** True when an item at {@code a} with {@code aStorers} is worth more than one at {@code b}. */
    private boolean moreImportant(NodeId a, int aStorers, NodeId b, int bStorers) {
        if (aStorers != bStorers) {
            return aStorers > bStorers;
        }
        return ownId.compareDistance(a, b) < 0;
    }

    private void remove(NodeId target) {
        Slot slot = items.remove(target);
        if (slot != null) {
            bytes -= slot.item.size();
        }
    }

    @Override
    public void expire(long now) {
        Iterator<Slot> it = items.values().iterator();
        while (it.hasNext()) {
            Slot slot = it.next();
            if (expired(slot.item, now)) {
                bytes -= slot.item.size();
                it.remove();
            }
        }
    }

    private static boolean expired(StoredItem item, long now) {
        return now - item.lastPut() >= ITEM_TTL_MILLIS;
    }

    @Override
    public int count() {
        return items.size();
    }

    @Override
    public long bytes() {
        return bytes;
    }
}
