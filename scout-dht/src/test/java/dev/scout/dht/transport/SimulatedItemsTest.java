package dev.scout.dht.transport;

import dev.scout.dht.Ed25519PublicKey;

import dev.scout.dht.DhtConfig;
import dev.scout.dht.NodeId;
import dev.scout.dht.PutResult;
import dev.scout.dht.bencode.Bencode;
import dev.scout.dht.ImmutableItem;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.MutableItem;
import dev.scout.dht.storage.StoredItem;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** BEP 44 at scale on the simulated network, and hostile storing nodes. */
class SimulatedItemsTest {

    @Test
    void twoHundredItemsOnAThousandNodesAreAllFoundAndVerified() {
        SimNetwork net = new SimNetwork(11, LinkModel.uniform(5, 60));
        DhtConfig config = DhtConfig.builder().bootstrap(List.of()).build();
        for (int i = 0; i < 1000; i++) {
            net.addNode(config);
        }
        net.bootstrapAll();
        Random random = new Random(5);

        record Stored(boolean mutable, NodeId target, byte[] value, byte[] key, byte[] salt, long seq) { }
        List<Stored> items = new ArrayList<>();
        List<CompletableFuture<PutResult>> puts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            SimDht writer = new SimDht(net, random.nextInt(net.size()));
            byte[] value = Bencode.encode(Bencode.bytes("item " + i + " " + random.nextLong()));
            if (i % 2 == 0) {
                items.add(new Stored(false, new ImmutableItem(value).target(), value, null, null, 0));
                puts.add(writer.putImmutable(ImmutableItem.ofBencoded(value)));
            } else {
                byte[] seed = new byte[32];
                random.nextBytes(seed);
                Ed25519KeyPair signer = Ed25519KeyPair.ofSeed(seed);
                byte[] salt = i % 4 == 1 ? Bencode.bytes("salt" + i) : new byte[0];
                MutableItem item = MutableItem.sign(signer, salt, 1 + random.nextInt(100), value);
                items.add(new Stored(true, item.target(), value, signer.publicKey().bytes(), salt, item.seq()));
                puts.add(writer.putMutable(item));
            }
        }
        assertThat(net.runUntil(() -> puts.stream().allMatch(CompletableFuture::isDone), 600_000)).isTrue();
        for (CompletableFuture<PutResult> p : puts) {
            assertThat(p.join().stored()).as("nodes that stored the item: %s", p.join().outcomes()).isGreaterThanOrEqualTo(6);
        }

        List<CompletableFuture<Optional<ImmutableItem>>> immutableGets = new ArrayList<>();
        List<CompletableFuture<Optional<MutableItem>>> mutableGets = new ArrayList<>();
        for (Stored s : items) {
            SimDht reader = new SimDht(net, random.nextInt(net.size()));
            if (s.mutable()) {
                mutableGets.add(reader.getMutable(Ed25519PublicKey.of(s.key()), s.salt()));
            } else {
                immutableGets.add(reader.getImmutable(s.target()));
            }
        }
        assertThat(net.runUntil(() -> immutableGets.stream().allMatch(CompletableFuture::isDone)
                && mutableGets.stream().allMatch(CompletableFuture::isDone), 600_000)).isTrue();
        int im = 0;
        int mu = 0;
        for (Stored s : items) {
            if (s.mutable()) {
                MutableItem got = mutableGets.get(mu++).join().orElseThrow();
                assertThat(got.verify()).isTrue();
                assertThat(got.value()).isEqualTo(s.value());
                assertThat(got.seq()).isEqualTo(s.seq());
                assertThat(got.target()).isEqualTo(s.target());
            } else {
                byte[] got = immutableGets.get(im++).join().orElseThrow().value();
                assertThat(got).isEqualTo(s.value());
            }
        }
        assertThat(im + mu).isEqualTo(200);
    }

    @Test
    void forgedTamperedAndWrongKeyItemsAreNeverReturned() {
        SimNetwork net = new SimNetwork(3, LinkModel.uniform(5, 30));
        DhtConfig config = DhtConfig.builder().bootstrap(List.of()).build();
        for (int i = 0; i < 60; i++) {
            net.addNode(config);
        }
        net.bootstrapAll();

        Ed25519KeyPair owner = Ed25519KeyPair.ofSeed(new byte[32]);
        Ed25519KeyPair attacker = Ed25519KeyPair.ofSeed(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
        byte[] value = Bencode.encode(Bencode.bytes("genuine"));
        MutableItem genuine = MutableItem.sign(owner, new byte[0], 1, value);
        byte[] forgedSig = genuine.signature();
        forgedSig[0] ^= 1;
        // A higher seq with a forged signature, and an item signed by another key placed at the owner's target.
        MutableItem forged = new MutableItem(owner.publicKey(), new byte[0], 9, Bencode.encode(Bencode.bytes("forged")), forgedSig);
        MutableItem wrongKey = MutableItem.sign(attacker, new byte[0], 10, Bencode.encode(Bencode.bytes("evil")));
        byte[] immutable = Bencode.encode(Bencode.bytes("real content"));
        NodeId immutableTarget = new ImmutableItem(immutable).target();

        // Poison the stores of the nodes closest to both targets directly, bypassing put validation.
        for (int i = 0; i < net.size(); i++) {
            int node = i;
            net.onNode(node, n -> {
                java.net.InetAddress ip = net.address(node).getAddress();
                if (node % 2 == 0) {
                    n.itemStore().put(new StoredItem(genuine.target(), null, forged, net.now(), 1), ip, net.now());
                } else {
                    n.itemStore().put(new StoredItem(genuine.target(), null,
                            new MutableItem(wrongKey.publicKey(), new byte[0], 10, wrongKey.value(), wrongKey.signature()),
                            net.now(), 1), ip, net.now());
                }
                n.itemStore().put(new StoredItem(immutableTarget, Bencode.encode(Bencode.bytes("tampered!")), null,
                        net.now(), 1), ip, net.now());
                return null;
            });
        }
        SimDht reader = new SimDht(net, 17);
        CompletableFuture<Optional<MutableItem>> m = reader.getMutable(owner.publicKey(), new byte[0]);
        CompletableFuture<Optional<ImmutableItem>> im = reader.getImmutable(immutableTarget);
        assertThat(net.runUntil(() -> m.isDone() && im.isDone(), 120_000)).isTrue();
        assertThat(m.join()).isEmpty();
        assertThat(im.join()).isEmpty();
        assertThat(net.node(17).stats().invalidItems()).isGreaterThan(0);

        // A genuine newer version replaces the poisoned copies and is found.
        SimDht writer = new SimDht(net, 5);
        CompletableFuture<PutResult> put = writer.putMutable(MutableItem.sign(owner, new byte[0], 20, value));
        assertThat(net.runUntil(put::isDone, 120_000)).isTrue();
        assertThat(put.join().stored()).isGreaterThan(0);
        CompletableFuture<Optional<MutableItem>> again = reader.getMutable(owner.publicKey(), new byte[0]);
        assertThat(net.runUntil(again::isDone, 120_000)).isTrue();
        assertThat(again.join()).isPresent();
        assertThat(again.join().get().seq()).isEqualTo(20);
        assertThat(again.join().get().value()).isEqualTo(value);
    }
}
