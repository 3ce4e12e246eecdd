package dev.scout.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scout.dht.Ed25519KeyPair;
import dev.scout.core.crypto.PairKeys;
import dev.scout.dht.transport.SimDht;
import dev.scout.dht.transport.SimNetwork;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two identities with three devices each edit one contact record concurrently on a 100-node
 * simulated DHT. Each device owns a range of ids and edits them at random, and every device also
 * assigns a few shared ids (so equal-seq versions from different devices meet and the tie-break
 * decides). After the concurrent rounds and a final synchronize pass, every device must hold the
 * same entries, and every entry any device ever wrote successfully must be there or superseded.
 */
class SyncConvergenceTest {

    static final int NODES = 100;
    static final int DEVICES = 6;
    static final int ROUNDS = 50;
    static final int OWNED_IDS = 6;
    static final long[] SHARED_IDS = {1, 2, 3};
    static final long MAX_VIRTUAL_MILLIS = 3_600_000;

    /** One device: its own DHT node, its local entries, and what it managed to write. */
    static final class Device {
        final int index;
        final PairKeys keys;
        final Synchronizer sync;
        final Random random;
        final Map<Long, RecordEntry> local = new TreeMap<>();
        final List<List<RecordEntry>> acknowledged = new ArrayList<>();
        final List<Throwable> unexpected = new ArrayList<>();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final Delayer delayer;
        int successes;
        int conflicts;
        int retriedSuccesses;

        Device(int index, PairKeys keys, SimNetwork net, int node, long seed) {
            this.index = index;
            this.keys = keys;
            this.random = new Random(seed);
            this.delayer = Sim.delayer(net, node);
            this.sync = new Synchronizer(new SimDht(net, node), delayer, SyncPolicy.DEFAULT, new Random(seed + 1));
        }

        List<RecordEntry> entries() {
            return List.copyOf(local.values());
        }

        long ownedId(int k) {
            return 100L * (index + 1) + k;
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 22, 33})
    void sixDevicesConvergeWithoutLosingAcknowledgedUpdates(long seed) {
        SimNetwork net = Sim.network(NODES, seed);
        Random random = new Random(seed);
        Ed25519KeyPair alice = identity(random);
        Ed25519KeyPair bob = identity(random);
        PairKeys aliceSide = PairKeys.derive(alice, bob.publicKey());
        PairKeys bobSide = PairKeys.derive(bob, alice.publicKey());
        assertThat(aliceSide.recordPublicKey()).isEqualTo(bobSide.recordPublicKey());

        Set<Integer> usedNodes = new HashSet<>();
        List<Device> devices = new ArrayList<>();
        for (int d = 0; d < DEVICES; d++) {
            int node;
            do {
                node = random.nextInt(NODES);
            } while (!usedNodes.add(node));
            devices.add(new Device(d, d < DEVICES / 2 ? aliceSide : bobSide, net, node, random.nextLong()));
        }
        // Every version anyone created, per (id, seq): more than one content means an equal-seq tie.
        Map<List<Long>, Set<RecordEntry>> versions = new HashMap<>();

        for (Device device : devices) {
            runRounds(device, 0, versions);
        }
        assertThat(net.runUntil(() -> devices.stream().allMatch(d -> d.done.isDone()), MAX_VIRTUAL_MILLIS))
                .as("all devices finished their rounds").isTrue();
        for (Device device : devices) {
            assertThat(device.unexpected).as("device %d errors", device.index).isEmpty();
        }

        // Everything any device holds locally must end up in the record.
        List<RecordEntry> allLocal = new ArrayList<>();
        devices.forEach(d -> allLocal.addAll(d.local.values()));
        List<RecordEntry> expected = EntryMerge.merge(List.of(), allLocal).merged();

        // Two quiet passes: the first writes every device's pending edits, the second reads the union.
        for (int pass = 0; pass < 2; pass++) {
            for (Device device : devices) {
                SyncResult result = Sim.await(net,
                        device.sync.synchronize(device.keys, device.entries(), SyncListener.NONE), 600_000);
                device.local.clear();
                result.entries().forEach(e -> device.local.put(e.id(), e));
                device.acknowledged.add(result.entries());
            }
        }

        List<RecordEntry> reference = devices.get(0).entries();
        for (Device device : devices) {
            assertThat(device.entries()).as("device %d", device.index).containsExactlyElementsOf(reference);
        }
        assertThat(reference).containsExactlyElementsOf(expected);

        Map<Long, RecordEntry> finalById = new HashMap<>();
        reference.forEach(e -> finalById.put(e.id(), e));
        int checked = 0;
        for (Device device : devices) {
            for (List<RecordEntry> written : device.acknowledged) {
                for (RecordEntry e : written) {
                    RecordEntry now = finalById.get(e.id());
                    assertThat(now).as("acknowledged %s from device %d", e, device.index).isNotNull();
                    assertThat(EntryMerge.winner(now, e)).as("acknowledged %s superseded", e).isEqualTo(now);
                    checked++;
                }
            }
        }

        long ties = versions.values().stream().filter(s -> s.size() > 1).count();
        int successes = devices.stream().mapToInt(d -> d.successes).sum();
        int conflicts = devices.stream().mapToInt(d -> d.conflicts).sum();
        int retried = devices.stream().mapToInt(d -> d.retriedSuccesses).sum();
        System.out.printf("seed %d: %d/%d synchronizes succeeded (%d after retries), %d gave up on conflicts, "
                        + "%d equal-seq ties, %d acknowledged entries checked, %d ms virtual%n",
                seed, successes, DEVICES * ROUNDS, retried, conflicts, ties, checked, net.now());
        assertThat(ties).as("equal-seq versions from different devices were merged").isPositive();
        assertThat(retried).as("some synchronizes needed retries (contention happened)").isPositive();
        assertThat(successes).as("most synchronizes succeed").isGreaterThan(DEVICES * ROUNDS * 3 / 4);
    }

    private static void runRounds(Device device, int round, Map<List<Long>, Set<RecordEntry>> versions) {
        if (round == ROUNDS) {
            device.done.complete(null);
            return;
        }
        // Think time between rounds, in virtual time.
        device.delayer.delay(device.random.nextInt(2500)).thenRun(() -> {
            RecordEntry edited = edit(device, round);
            versions.computeIfAbsent(List.of(edited.id(), edited.seq()), k -> new LinkedHashSet<>()).add(edited);
            device.sync.synchronize(device.keys, device.entries(), SyncListener.NONE).whenComplete((result, error) -> {
                if (error == null) {
                    device.successes++;
                    if (result.attempts() > 1) {
                        device.retriedSuccesses++;
                    }
                    device.acknowledged.add(result.entries());
                    device.local.clear();
                    result.entries().forEach(e -> device.local.put(e.id(), e));
                } else if (error instanceof SyncConflictException) {
                    device.conflicts++; // the edit stays local and goes out with a later round
                } else {
                    device.unexpected.add(error);
                }
                runRounds(device, round + 1, versions);
            });
        }).exceptionally(error -> {
            device.unexpected.add(error);
            device.done.complete(null);
            return null;
        });
    }

    /** One random edit: add, assign or delete an owned entry, or assign a shared one. */
    private static RecordEntry edit(Device device, int round) {
        Random r = device.random;
        byte[] content = {(byte) device.index, (byte) round, (byte) r.nextInt(256), (byte) r.nextInt(256)};
        RecordEntry edited;
        if (r.nextDouble() < 0.3) {
            long id = SHARED_IDS[r.nextInt(SHARED_IDS.length)];
            RecordEntry current = device.local.get(id);
            edited = current == null ? RecordEntry.of(id, content) : current.assign(content);
        } else {
            long id = device.ownedId(r.nextInt(OWNED_IDS));
            RecordEntry current = device.local.get(id);
            if (current == null) {
                edited = RecordEntry.of(id, content);
            } else if (current.isDeleted() || r.nextDouble() < 0.7) {
                edited = current.assign(content);
            } else {
                edited = current.delete();
            }
        }
        device.local.put(edited.id(), edited);
        return edited;
    }

    private static Ed25519KeyPair identity(Random random) {
        byte[] seed = new byte[Ed25519KeyPair.SEED_BYTES];
        random.nextBytes(seed);
        return Ed25519KeyPair.ofSeed(seed);
    }
}
