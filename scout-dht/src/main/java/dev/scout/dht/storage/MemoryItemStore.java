package dev.scout.dht.storage;

import dev.scout.dht.NodeId;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * In-memory {@link ItemStore} capped by item count and total bytes. When full, the least important item
 * is evicted — fewest distinct storers, then farthest from our own id (as libtorrent does) — but only
 * for a newcomer that is more important; otherwise the newcomer is refused.
 *
 * <p><b>Cost per put is O(log n)</b>, however full the store: items are kept in put order (so the
 * oldest, first to expire, is at the head) and in an ordered set by importance (so the least
 * important is the first element). A full store used to sort every item on every put.
 * Expiry assumes the clock given to {@link #put} never goes backwards (the node's loop clock).
 */
public final class MemoryItemStore implements ItemStore {
    /** Distinct storer IPs remembered per item; beyond this an item is simply "popular". */
    private static final int MAX_TRACKED_STORERS = 16;

    private final NodeId ownId;
    private final int maxItems;
    private final long maxBytes;
    /** By target, in order of last put: the head expires first. */
    private final LinkedHashMap<NodeId, Slot> items = new LinkedHashMap<>();
    /** Least important first. */
    private final TreeSet<Slot> byImportance;
    private long bytes;
    private long scanned;

    private static final class Slot {
        final NodeId target;
        StoredItem item;
        final Set<InetAddress> storers = new HashSet<>();

        Slot(NodeId target) {
            this.target = target;
        }
    }

    public MemoryItemStore(NodeId ownId, int maxItems, long maxBytes) {
        this.ownId = ownId;
        this.maxItems = maxItems;
        this.maxBytes = maxBytes;
        // XOR distance to our id is distinct for distinct targets, so this is a total order.
        this.byImportance = new TreeSet<>(Comparator.<Slot>comparingInt(s -> s.storers.size())
                .thenComparing((a, b) -> ownId.compareDistance(b.target, a.target)));
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
            List<Slot> victims = victimsFor(item, slot == null, replaced, storers);
            if (victims == null) {
                return false;
            }
            victims.forEach(v -> remove(v.target));
        }
        if (slot == null) {
            slot = new Slot(item.target());
        } else {
            items.remove(item.target()); // re-inserted last: put order is expiry order
            byImportance.remove(slot); // its importance may change below
        }
        items.put(item.target(), slot);
        bytes -= replaced;
        if (slot.storers.size() < MAX_TRACKED_STORERS) {
            slot.storers.add(from);
        }
        byImportance.add(slot);
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
    private List<Slot> victimsFor(StoredItem item, boolean isNew, long replaced, int storers) {
        if (item.size() > maxBytes) {
            return null;
        }
        List<Slot> victims = new ArrayList<>();
        long freed = 0;
        // Visits only as many items as must go (each frees at least one byte of a bounded newcomer).
        for (Slot v : byImportance) {
            scanned++;
            if (fits(item, isNew, replaced, victims.size(), freed)) {
                return victims;
            }
            if (v.target.equals(item.target())) {
                continue;
            }
            if (!moreImportant(item.target(), storers, v.target, v.storers.size())) {
                return null;
            }
            victims.add(v);
            freed += v.item.size();
        }
        return fits(item, isNew, replaced, victims.size(), freed) ? victims : null;
    }

    private boolean fits(StoredItem item, boolean isNew, long replaced, int evicted, long freed) {
        return (!isNew || items.size() - evicted < maxItems) && bytes - replaced - freed + item.size() <= maxBytes;
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
            byImportance.remove(slot);
            bytes -= slot.item.size();
        }
    }

    /** Drops expired items: O(1) per item dropped, as the oldest put is always first. */
    @Override
    public void expire(long now) {
        Iterator<Map.Entry<NodeId, Slot>> it = items.entrySet().iterator();
        while (it.hasNext()) {
            Slot slot = it.next().getValue();
            scanned++;
            if (!expired(slot.item, now)) {
                return;
            }
            byImportance.remove(slot);
            bytes -= slot.item.size();
            it.remove();
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

    /**
     * Items examined by eviction and expiry since the store was made: a cost counter, so tests and
     * benchmarks can check that the work per put stays bounded as the store fills.
     */
    public long scanned() {
        return scanned;
    }
}
