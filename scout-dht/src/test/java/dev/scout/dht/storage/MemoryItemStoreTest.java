package dev.scout.dht.storage;

import dev.scout.dht.NodeId;
import dev.scout.dht.bencode.Bencode;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.MutableItem;
import dev.scout.testkit.RandomCases;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static dev.scout.dht.storage.ItemStore.ITEM_TTL_MILLIS;
import static org.assertj.core.api.Assertions.assertThat;

/** BEP 44 item storage: expiry, caps and which items are worth keeping when full. */
class MemoryItemStoreTest {
    static final long HOUR = 60 * 60_000L;
    static final NodeId OWN = NodeId.parse("0000000000000000000000000000000000000000");

    static InetAddress ip(int n) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) 198, 51, (byte) (n >>> 8), (byte) n});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** A target whose XOR distance to {@link #OWN} starts with {@code firstByte}. */
    static NodeId at(int firstByte) {
        byte[] b = new byte[20];
        b[0] = (byte) firstByte;
        b[19] = 1;
        return NodeId.of(b);
    }

    /** An immutable item of exactly {@code size} bytes stored under {@code target}. */
    static StoredItem immutable(NodeId target, int size) {
        byte[] value = new byte[size];
        value[0] = 'i';
        return new StoredItem(target, value, null, 0, 1);
    }

    static StoredItem mutable(Ed25519KeyPair signer, long seq, int valueBytes) {
        // a bencoded string: "100:" + 100 bytes is 104 bytes; exact for 104..1000
        byte[] value = Bencode.encode(new byte[valueBytes - 4]);
        MutableItem m = MutableItem.sign(signer, null, seq, value);
        return new StoredItem(m.target(), null, m, 0, 1);
    }

    static Ed25519KeyPair signer(int n) {
        byte[] seed = new byte[32];
        seed[0] = (byte) n;
        seed[1] = (byte) (n >>> 8);
        return Ed25519KeyPair.ofSeed(seed);
    }

    // ---- expiry --------------------------------------------------------------------------------

    @Test
    void itemsExpireTwoHoursAfterTheLastPut() {
        MemoryItemStore store = new MemoryItemStore(OWN, 100, 1 << 20);
        StoredItem item = immutable(at(0x10), 50);
        assertThat(store.put(item, ip(1), 0)).isTrue();
        Optional<StoredItem> got = store.get(item.target(), ITEM_TTL_MILLIS - 1);
        assertThat(got).isPresent();
        assertThat(got.get().value()).isEqualTo(item.value());
        assertThat(got.get().lastPut()).isZero();
        assertThat(store.get(item.target(), ITEM_TTL_MILLIS)).isEmpty();
        assertThat(ITEM_TTL_MILLIS).isEqualTo(2 * HOUR);
    }

    @Test
    void aRePutRefreshesTheExpiry() {
        MemoryItemStore store = new MemoryItemStore(OWN, 100, 1 << 20);
        StoredItem item = immutable(at(0x10), 50);
        store.put(item, ip(1), 0);
        store.put(item, ip(1), HOUR);
        assertThat(store.get(item.target(), 2 * HOUR + HOUR / 2)).isPresent();
        assertThat(store.get(item.target(), 2 * HOUR + HOUR / 2).get().lastPut()).isEqualTo(HOUR);
        assertThat(store.get(item.target(), 3 * HOUR)).isEmpty();
        assertThat(store.count()).isEqualTo(1);
        assertThat(store.bytes()).isEqualTo(50);
    }

    @Test
    void expireDropsOldItemsAndTheirBytes() {
        MemoryItemStore store = new MemoryItemStore(OWN, 100, 1 << 20);
        store.put(immutable(at(0x10), 50), ip(1), 0);
        store.put(immutable(at(0x20), 70), ip(1), HOUR);
        store.expire(2 * HOUR);
        assertThat(store.count()).isEqualTo(1);
        assertThat(store.bytes()).isEqualTo(70);
        store.expire(3 * HOUR);
        assertThat(store.count()).isZero();
        assertThat(store.bytes()).isZero();
    }

    @Test
    void expiredItemsMakeRoomBeforeAnythingIsEvicted() {
        MemoryItemStore store = new MemoryItemStore(OWN, 2, 1 << 20);
        store.put(immutable(at(0x10), 10), ip(1), 0);
        store.put(immutable(at(0x20), 10), ip(1), HOUR);
        // the farthest item is refused while both are alive...
        assertThat(store.put(immutable(at(0x80), 10), ip(1), HOUR + 1)).isFalse();
        // ...and accepted once the first has expired, without touching the live one
        assertThat(store.put(immutable(at(0x80), 10), ip(1), 2 * HOUR)).isTrue();
        assertThat(store.get(at(0x20), 2 * HOUR)).isPresent();
        assertThat(store.get(at(0x80), 2 * HOUR)).isPresent();
        assertThat(store.count()).isEqualTo(2);
    }

    // ---- storers -------------------------------------------------------------------------------

    @Test
    void storerCountCountsDistinctIps() {
        MemoryItemStore store = new MemoryItemStore(OWN, 100, 1 << 20);
        StoredItem item = immutable(at(0x10), 10);
        store.put(item, ip(1), 0);
        store.put(item, ip(1), 1);
        assertThat(store.get(item.target(), 2).get().storerCount()).isEqualTo(1);
        store.put(item, ip(2), 3);
        store.put(item, ip(3), 4);
        assertThat(store.get(item.target(), 5).get().storerCount()).isEqualTo(3);
    }

    // ---- caps and eviction ---------------------------------------------------------------------

    @Test
    void countCapEvictsTheFarthestForACloserNewcomer() {
        MemoryItemStore store = new MemoryItemStore(OWN, 3, 1 << 20);
        store.put(immutable(at(0x20), 10), ip(1), 0);
        store.put(immutable(at(0x80), 10), ip(1), 0);
        store.put(immutable(at(0x40), 10), ip(1), 0);
        assertThat(store.put(immutable(at(0x10), 10), ip(1), 1)).isTrue();
        assertThat(store.count()).isEqualTo(3);
        assertThat(store.get(at(0x80), 1)).as("farthest evicted").isEmpty();
        assertThat(store.get(at(0x10), 1)).isPresent();
        assertThat(store.get(at(0x20), 1)).isPresent();
        assertThat(store.get(at(0x40), 1)).isPresent();
    }

    @Test
    void lessImportantNewcomerIsRefused() {
        MemoryItemStore store = new MemoryItemStore(OWN, 3, 1 << 20);
        store.put(immutable(at(0x20), 10), ip(1), 0);
        store.put(immutable(at(0x30), 10), ip(1), 0);
        store.put(immutable(at(0x40), 10), ip(1), 0);
        assertThat(store.put(immutable(at(0x50), 10), ip(2), 1)).isFalse();
        assertThat(store.get(at(0x50), 1)).isEmpty();
        assertThat(store.count()).isEqualTo(3);
        assertThat(store.bytes()).isEqualTo(30);
        for (int b : new int[] {0x20, 0x30, 0x40}) {
            assertThat(store.get(at(b), 1)).isPresent();
        }
    }

    @Test
    void itemsWithMoreStorersAreKeptEvenWhenFarther() {
        MemoryItemStore store = new MemoryItemStore(OWN, 3, 1 << 20);
        store.put(immutable(at(0x80), 10), ip(1), 0);
        store.put(immutable(at(0x80), 10), ip(2), 0); // popular, but far
        store.put(immutable(at(0x20), 10), ip(1), 0);
        store.put(immutable(at(0x40), 10), ip(1), 0);
        assertThat(store.put(immutable(at(0x10), 10), ip(3), 1)).isTrue();
        assertThat(store.get(at(0x80), 1)).isPresent();
        assertThat(store.get(at(0x40), 1)).as("the farthest of the least popular goes").isEmpty();
        assertThat(store.get(at(0x20), 1)).isPresent();
        // a newcomer farther than every single-storer item is refused
        assertThat(store.put(immutable(at(0x60), 10), ip(3), 2)).isFalse();
        assertThat(store.get(at(0x20), 2)).isPresent();
        assertThat(store.get(at(0x10), 2)).isPresent();
    }

    @Test
    void newcomerNeverBeatsAnItemWithSeveralStorers() {
        MemoryItemStore store = new MemoryItemStore(OWN, 1, 1 << 20);
        store.put(immutable(at(0x80), 10), ip(1), 0);
        store.put(immutable(at(0x80), 10), ip(2), 0);
        assertThat(store.put(immutable(at(0x01), 10), ip(3), 1)).isFalse();
        assertThat(store.get(at(0x80), 1)).isPresent();
    }

    @Test
    void byteCapEvictsForACloserNewcomerAndRefusesAFartherOne() {
        MemoryItemStore store = new MemoryItemStore(OWN, 100, 250);
        assertThat(store.put(immutable(at(0x40), 100), ip(1), 0)).isTrue();
        assertThat(store.put(immutable(at(0x80), 100), ip(1), 0)).isTrue();
        assertThat(store.bytes()).isEqualTo(200);
        assertThat(store.put(immutable(at(0xC0), 100), ip(1), 1)).isFalse();
        assertThat(store.bytes()).isEqualTo(200);
        assertThat(store.put(immutable(at(0x20), 100), ip(1), 1)).isTrue();
        assertThat(store.bytes()).isEqualTo(200);
        assertThat(store.get(at(0x80), 1)).isEmpty();
        assertThat(store.get(at(0x20), 1)).isPresent();
        assertThat(store.get(at(0x40), 1)).isPresent();
        // a small item fits beside them without evicting anything
        assertThat(store.put(immutable(at(0xF0), 50), ip(1), 1)).isTrue();
        assertThat(store.count()).isEqualTo(3);
        assertThat(store.bytes()).isEqualTo(250);
    }

    /** A refused newcomer must not have evicted anything on the way to being refused. */
    @Test
    void aRefusedNewcomerEvictsNothing() {
        MemoryItemStore store = new MemoryItemStore(OWN, 100, 300);
        assertThat(store.put(immutable(at(0xC0), 100), ip(1), 0)).isTrue(); // far, one storer
        assertThat(store.put(immutable(at(0x10), 100), ip(1), 0)).isTrue(); // close
        assertThat(store.put(immutable(at(0x20), 100), ip(1), 0)).isTrue(); // close
        // 250 bytes at 0x80: evicting the far item frees only 100, the next victim is closer than the
        // newcomer, so the put is refused — and the far item must still be there.
        assertThat(store.put(immutable(at(0x80), 250), ip(2), 1)).isFalse();
        assertThat(store.count()).isEqualTo(3);
        assertThat(store.bytes()).isEqualTo(300);
        assertThat(store.get(at(0xC0), 1)).isPresent();
        // An item larger than the whole store is refused outright.
        assertThat(store.put(immutable(at(0x01), 301), ip(3), 1)).isFalse();
        assertThat(store.count()).isEqualTo(3);
    }

    @Test
    void mutableItemsCostValueKeyAndSignature() {
        MemoryItemStore store = new MemoryItemStore(OWN, 100, 1 << 20);
        StoredItem m = mutable(signer(1), 1, 104);
        assertThat(m.mutable().value()).hasSize(104);
        assertThat(store.put(m, ip(1), 0)).isTrue();
        assertThat(store.bytes()).isEqualTo(104 + 32 + 64);
        StoredItem newer = mutable(signer(1), 2, 504);
        assertThat(newer.target()).isEqualTo(m.target());
        assertThat(store.put(newer, ip(1), 1)).isTrue();
        assertThat(store.count()).isEqualTo(1);
        assertThat(store.bytes()).isEqualTo(504 + 96);
        assertThat(store.get(m.target(), 2).get().mutable().seq()).isEqualTo(2);
    }

    @Test
    void updatingAMutableItemToALargerValueRespectsTheByteCap() {
        MemoryItemStore store = new MemoryItemStore(OWN, 100, 1200);
        List<StoredItem> small = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            StoredItem s = mutable(signer(i), 1, 104);
            small.add(s);
            assertThat(store.put(s, ip(1), 0)).isTrue();
        }
        assertThat(store.bytes()).isEqualTo(600);
        int updates = 0;
        for (int i = 0; i < 3; i++) {
            // an earlier, more important update may have evicted this one already
            boolean heldBefore = store.get(small.get(i).target(), 1).isPresent();
            updates += heldBefore ? 1 : 0;
            boolean accepted = store.put(mutable(signer(i), 2, 904), ip(1), 1);
            assertThat(store.bytes()).as("after updating item %d", i).isLessThanOrEqualTo(1200);
            Optional<StoredItem> held = store.get(small.get(i).target(), 1);
            if (heldBefore) {
                assertThat(held).as("a refused update keeps the version held").isPresent();
            }
            if (held.isPresent()) {
                assertThat(held.get().mutable().seq()).isEqualTo(accepted ? 2 : 1);
            }
        }
        assertThat(updates).isGreaterThanOrEqualTo(1);
        // 3 × 1000 bytes cannot fit in 1200: something had to give
        assertThat(store.count()).isLessThan(3);
    }

    /**
     * A full store (10,000 items) examines only the items it evicts, plus the head of the expiry
     * order, per put — not every item (it used to sort them all on each put: 5 ms at this size).
     */
    @Test
    void aPutIntoAFullStoreExaminesABoundedNumberOfItems() {
        MemoryItemStore store = new MemoryItemStore(OWN, 10_000, 1L << 30);
        Random random = new Random(11);
        for (int i = 0; i < 10_000; i++) {
            assertThat(store.put(immutable(NodeId.random(random), 20), ip(i % 200), i)).isTrue();
        }
        assertThat(store.count()).isEqualTo(10_000);
        long before = store.scanned();
        int accepted = 0;
        int puts = 5_000;
        for (int i = 0; i < puts; i++) {
            accepted += store.put(immutable(NodeId.random(random), 20), ip(7), 10_000 + i) ? 1 : 0;
            assertThat(store.count()).isEqualTo(10_000);
        }
        // Each put: one look at the oldest item (not expired) and at most two at the least important.
        assertThat(store.scanned() - before).isLessThanOrEqualTo(3L * puts);
        assertThat(accepted).as("closer newcomers displace farther items").isBetween(1, puts - 1);
        // Expiry, too, touches only what it drops.
        long beforeExpiry = store.scanned();
        store.expire(ITEM_TTL_MILLIS + 10_000 + 99);
        assertThat(store.count()).isLessThan(10_000);
        assertThat(store.scanned() - beforeExpiry).isEqualTo(10_000 - store.count() + 1L);
    }

    /** Signing is slow: 10 keys × 20 versions of random sizes, made once. */
    static final List<StoredItem> MUTABLE_POOL = mutablePool();

    static List<StoredItem> mutablePool() {
        Random random = new Random(5);
        List<StoredItem> pool = new ArrayList<>();
        for (int key = 0; key < 10; key++) {
            for (int version = 0; version < 20; version++) {
                pool.add(mutable(signer(1000 + key), version, 4 + random.nextInt(997)));
            }
        }
        return pool;
    }

    /**
     * Random puts of immutable and mutable items, new and updated, from several IPs: the caps always hold
     * and the byte count is the sum of the items held.
     */
    @Test
    void capsAlwaysHold() {
        RandomCases.forAll(100, RandomCases::longs, this::capsAlwaysHold);
    }

    private void capsAlwaysHold(long seed) {
        Random random = new Random(seed);
        int maxItems = 1 + random.nextInt(20);
        long maxBytes = 200 + random.nextInt(8_000);
        MemoryItemStore store = new MemoryItemStore(NodeId.random(random), maxItems, maxBytes);
        Set<NodeId> targets = new LinkedHashSet<>();
        long now = 0;
        for (int step = 0; step < 300; step++) {
            now += random.nextInt(20_000); // stays within the TTL: expiry is tested separately
            StoredItem item;
            if (random.nextBoolean()) {
                item = immutable(NodeId.random(random), 1 + random.nextInt(1000));
            } else {
                // versions of 10 mutable items, of random sizes: puts are new items or updates
                item = MUTABLE_POOL.get(random.nextInt(MUTABLE_POOL.size()));
            }
            targets.add(item.target());
            long at = now;
            boolean heldBefore = store.get(item.target(), at).isPresent();
            boolean stored = store.put(item, ip(random.nextInt(5)), now);
            assertThat(store.get(item.target(), at).isPresent()).as("stored, or a refused update kept the old one")
                    .isEqualTo(stored || heldBefore);
            assertThat(store.count()).isLessThanOrEqualTo(maxItems);
            assertThat(store.bytes()).isLessThanOrEqualTo(maxBytes);
            long sum = targets.stream().map(t -> store.get(t, at)).flatMap(Optional::stream)
                    .mapToLong(StoredItem::size).sum();
            long held = targets.stream().filter(t -> store.get(t, at).isPresent()).count();
            assertThat(store.bytes()).isEqualTo(sum);
            assertThat(store.count()).isEqualTo((int) held);
        }
    }
}
