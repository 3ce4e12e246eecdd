package dev.scout.dht.transport;

import dev.scout.dht.DhtConfig;
import dev.scout.dht.NodeId;
import dev.scout.dht.PutResult;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.MutableItem;
import dev.scout.dht.node.DhtOperations;
import dev.scout.dht.routing.RoutingTable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Sybil cluster next to each target (ids sharing 24 bits with it, far closer than any of 400 honest
 * nodes) accepts puts and answers every get with nothing. Writes still reach K ordinary nodes and every
 * read from an honest node finds the value: suspiciously close nodes do not count towards K.
 */
class SybilLookupTest {

    @Test
    void readsAndWritesGetPastASybilClusterAroundTheTarget() {
        DhtConfig config = DhtConfig.builder().bootstrap(List.of()).build();
        Random random = new Random(17);
        int targets = 5;
        List<Ed25519KeyPair> signers = new ArrayList<>();
        for (int t = 0; t < targets; t++) {
            byte[] seed = new byte[32];
            random.nextBytes(seed);
            signers.add(Ed25519KeyPair.ofSeed(seed));
        }
        byte[] salt = new byte[0];
        SimNetwork net = new SimNetwork(23, LinkModel.uniform(5, 50));
        int honest = 400;
        for (int i = 0; i < honest; i++) {
            net.addNode(config);
        }
        // 12 Sybils per target: more than K, so without the rule they would be the K closest.
        for (int t = 0; t < targets; t++) {
            NodeId target = MutableItem.target(signers.get(t).publicKey(), salt);
            for (int k = 0; k < 12; k++) {
                net.addNode(NodeId.randomWithPrefix(target, 24, random), config, new DiscardingItemStore());
            }
        }
        net.bootstrapAll();

        for (int t = 0; t < targets; t++) {
            int writer = random.nextInt(honest);
            Ed25519KeyPair signer = signers.get(t);
            CompletableFuture<PutResult> put = net.onNode(writer, n -> new DhtOperations(n).putMutable(signer, salt,
                    "5:hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            assertThat(net.runUntil(put::isDone, 60_000)).isTrue();
            // Every Sybil "stored" it too; what matters is that K ordinary nodes did.
            long ordinary = put.join().outcomes().stream().filter(o -> o.stored()
                    && o.node().id().commonPrefixLength(put.join().target()) < 24).count();
            assertThat(ordinary).as("target %d: ordinary nodes that stored", t).isGreaterThanOrEqualTo(RoutingTable.K - 1);
            for (int r = 0; r < 20; r++) {
                int reader = random.nextInt(honest);
                CompletableFuture<Optional<MutableItem>> get = net.onNode(reader,
                        n -> new DhtOperations(n).getMutable(signer.publicKey().bytes(), salt));
                assertThat(net.runUntil(get::isDone, 60_000)).isTrue();
                assertThat(get.join()).as("target %d read %d", t, r).isPresent();
            }
        }
    }
}
