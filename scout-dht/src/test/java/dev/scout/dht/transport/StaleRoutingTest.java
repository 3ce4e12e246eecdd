package dev.scout.dht.transport;

import dev.scout.dht.DhtConfig;
import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.PutResult;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.MutableItem;
import dev.scout.dht.node.DhtOperations;
import dev.scout.dht.routing.RoutingTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11 on the simulator (virtual time, so bounds are exact and runs reproducible): networks whose
 * routing tables hold dead entries and stale ids (nodes that restarted under a new id at the same
 * address). Lookups must end without waiting for hard timeouts, and a get after a put must find it.
 */
class StaleRoutingTest {
    /** Far above what any lookup here needs, so a wait for a hard timeout could not go unnoticed. */
    private static final long HARD_TIMEOUT = 20_000;
    private static final DhtConfig CONFIG = DhtConfig.builder().bootstrap(List.of())
            .requestTimeoutMillis(HARD_TIMEOUT).build();

    /** A bootstrapped network where {@code deadShare} of the nodes went away and {@code staleShare} restarted under new ids. */
    private static SimNetwork damagedNetwork(int size, long seed, double deadShare, double staleShare, List<Integer> dead,
                                             List<Integer> restarted) {
        SimNetwork net = new SimNetwork(seed, LinkModel.uniform(5, 50));
        for (int i = 0; i < size; i++) {
            net.addNode(CONFIG);
        }
        net.bootstrapAll();
        Random random = new Random(seed + 1);
        List<Integer> order = new ArrayList<>();
        for (int i = 1; i < size; i++) { // node 0 stays up: it is the router
            order.add(i);
        }
        java.util.Collections.shuffle(order, random);
        int deadCount = (int) Math.round(deadShare * size);
        int staleCount = (int) Math.round(staleShare * size);
        for (int k = 0; k < deadCount; k++) {
            dead.add(order.get(k));
            net.setOnline(order.get(k), false);
        }
        for (int k = deadCount; k < deadCount + staleCount; k++) {
            int i = order.get(k);
            restarted.add(i);
            net.restartWithNewId(i, NodeId.random(random), CONFIG);
            // It rejoins through two live nodes; everyone else still lists its old id.
            List<InetSocketAddress> via = List.of(net.address(0), net.address(order.get(order.size() - 1)));
            CompletableFuture<?> f = net.onNode(i, n -> n.bootstrap(via).future());
            assertThat(net.runUntil(f::isDone, 60_000)).isTrue();
        }
        return net;
    }

    @Test
    void bootstrapFromASavedTableOfDeadAndStaleEntriesEndsWithinSoftTimeouts() {
        List<Integer> dead = new ArrayList<>();
        List<Integer> restarted = new ArrayList<>();
        SimNetwork net = damagedNetwork(60, 11, 0.4, 0.2, dead, restarted);
        // What the client saved last time: every node at the id it had then.
        List<NodeInfo> saved = new ArrayList<>();
        List<NodeId> oldIds = new ArrayList<>();
        for (int i = 1; i < net.size(); i++) {
            NodeId id = restarted.contains(i) ? NodeId.random(new Random(i)) : net.node(i).ownId();
            oldIds.add(id);
            saved.add(new NodeInfo(id, net.address(i)));
        }
        for (int run = 0; run < 3; run++) {
            int client = net.addNode(CONFIG);
            long start = net.now();
            CompletableFuture<List<NodeInfo>> f = net.onNode(client, n -> n.bootstrap(saved, List.of(net.address(0))).future());
            assertThat(net.runUntil(f::isDone, HARD_TIMEOUT * 3)).isTrue();
            long took = net.now() - start;
            // Round trips here are at most 100 ms; the first soft timeout is 1 s until an answer arrives, then
            // it follows the RTT: a handful of hops and soft timeouts, never the hard timeout.
            assertThat(took).as("bootstrap %d took %d ms (virtual)", run, took).isLessThan(1_500);
            List<NodeInfo> found = f.join();
            assertThat(found).hasSize(RoutingTable.K);
            for (NodeInfo n : found) {
                int index = indexOf(net, n.address());
                assertThat(dead).doesNotContain(index);
                assertThat(n.id()).isEqualTo(net.node(index).ownId()); // current ids only
            }
            // Nodes that answered with a new id are in the table at that id, alive.
            RoutingTable table = net.node(client).routingTable();
            long restartedKnown = restarted.stream().filter(i -> table.entry(net.node(i).ownId()).isPresent()).count();
            assertThat(restartedKnown).isPositive();
            for (int i : restarted) {
                assertThat(table.entry(oldIds.get(i - 1))).isEmpty();
            }
        }
    }

    private static int indexOf(SimNetwork net, InetSocketAddress address) {
        for (int i = 0; i < net.size(); i++) {
            if (net.address(i).equals(address)) {
                return i;
            }
        }
        throw new AssertionError("unknown address " + address);
    }

    /**
     * The disjoint-copies case: a writer stores, a reader on another node reads it straight after.
     * 1000 trials per configuration, on networks with 30 % and 50 % dead nodes (their entries stay in
     * every table) and 10 % stale ids; readers and writers include freshly joined clients that
     * bootstrapped from a saved table listing every node at its old id.
     */
    @ParameterizedTest(name = "dead {0}, stale ids {1}")
    @CsvSource({"0.3, 0.1", "0.5, 0.1"})
    void everyGetAfterAPutFindsIt(double deadShare, double staleShare) {
        int trials = 1000;
        List<Integer> dead = new ArrayList<>();
        List<Integer> restarted = new ArrayList<>();
        SimNetwork net = damagedNetwork(300, 21, deadShare, staleShare, dead, restarted);
        Random random = new Random(5);
        List<NodeInfo> saved = new ArrayList<>();
        for (int i = 1; i < net.size(); i++) {
            saved.add(new NodeInfo(restarted.contains(i) ? NodeId.random(random) : net.node(i).ownId(), net.address(i)));
        }
        int misses = 0;
        for (int t = 0; t < trials; t++) {
            int writer = pick(net, random, dead, saved, t % 10 == 0);
            int reader = pick(net, random, dead, saved, t % 10 == 5);
            byte[] seedBytes = new byte[32];
            random.nextBytes(seedBytes);
            Ed25519KeyPair signer = Ed25519KeyPair.ofSeed(seedBytes);
            byte[] salt = {(byte) t, (byte) (t >>> 8)};
            byte[] value = ("2:v" + (t % 10)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            CompletableFuture<PutResult> put = net.onNode(writer, n -> new DhtOperations(n).putMutable(signer, salt, value));
            assertThat(net.runUntil(put::isDone, 60_000)).isTrue();
            assertThat(put.join().stored()).as("trial %d put: %s", t, put.join().outcomes()).isPositive();
            CompletableFuture<Optional<MutableItem>> get = net.onNode(reader, n -> new DhtOperations(n).getMutable(signer.publicKey().bytes(), salt));
            assertThat(net.runUntil(get::isDone, 60_000)).isTrue();
            if (get.join().isEmpty() || get.join().get().seq() != 1) {
                misses++;
            }
        }
        assertThat(misses).isZero();
    }

    /** A random live node, or (if {@code fresh}) a new client that joins from the saved table. */
    private static int pick(SimNetwork net, Random random, List<Integer> dead, List<NodeInfo> saved, boolean fresh) {
        if (fresh) {
            int client = net.addNode(CONFIG);
            CompletableFuture<?> f = net.onNode(client, n -> n.bootstrap(saved, List.of(net.address(0))).future());
            assertThat(net.runUntil(f::isDone, 60_000)).isTrue();
            return client;
        }
        while (true) {
            int i = random.nextInt(net.size());
            if (!dead.contains(i)) {
                return i;
            }
        }
    }
}
