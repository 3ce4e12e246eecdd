package dev.scout.dht.transport;

import dev.scout.dht.DhtConfig;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.PutResult;
import dev.scout.dht.bencode.Bencode;
import dev.scout.dht.ImmutableItem;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.MutableItem;
import org.junit.jupiter.api.Test;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/spec.md §10 at scale: a simulated network where some hosts are IPv4-only, some IPv6-only and
 * most dual-stack (an IPv4 and an IPv6 core paired as one node, BEP 32). Checks that every routing
 * table holds its own family only and is full, and that item lookups succeed exactly where the writer
 * and the reader share a family — always for a dual-stack reader or writer.
 */
class MixedFamilySimulationTest {
    static final DhtConfig V4 = DhtConfig.builder().bindAddress(new InetSocketAddress("0.0.0.0", 6881))
            .bootstrap(List.of()).build();
    static final DhtConfig V6 = DhtConfig.builder().bindAddress(new InetSocketAddress("::", 6881))
            .bootstrap(List.of()).build();

    /** A host: its cores (one per family it has). */
    record Host(String kind, List<Integer> cores) {
        boolean shares(Host o) {
            return kind.equals("dual") || o.kind.equals("dual") || kind.equals(o.kind);
        }
    }

    @Test
    void routingAndItemLookupsWorkAcrossAMixedNetwork() {
        SimNetwork net = new SimNetwork(32, LinkModel.uniform(5, 60));
        Random random = new Random(7);
        List<Host> hosts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int r = i < 2 ? 2 : random.nextInt(10); // the first two hosts (the seeds) are dual-stack
            if (r == 0) {
                hosts.add(new Host("v4", List.of(net.addNode(V4))));
            } else if (r == 1) {
                hosts.add(new Host("v6", List.of(net.addNode(V6))));
            } else {
                int four = net.addNode(V4);
                int six = net.addNode(V6);
                net.pairFamilies(four, six);
                hosts.add(new Host("dual", List.of(four, six)));
            }
        }
        assertThat(hosts).anyMatch(h -> h.kind().equals("v4")).anyMatch(h -> h.kind().equals("v6"));
        bootstrapPerFamily(net);

        for (int i = 0; i < net.size(); i++) {
            boolean six = isIpv6(net.address(i));
            List<NodeInfo> table = net.onNode(i, c -> c.routingTable().entries().stream().map(e -> e.node()).toList());
            assertThat(table).as("table of core %d", i).hasSizeGreaterThanOrEqualTo(8)
                    .allMatch(n -> isIpv6(n.address()) == six);
        }

        // Immutable items: written by one host (in every family it has), read by another.
        List<Host[]> pairs = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        List<List<CompletableFuture<PutResult>>> puts = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Host writer = hosts.get(random.nextInt(hosts.size()));
            Host reader = hosts.get(random.nextInt(hosts.size()));
            byte[] value = Bencode.encode(Bencode.bytes("item " + i + " from a " + writer.kind() + " host"));
            pairs.add(new Host[] {writer, reader});
            values.add(value);
            puts.add(writer.cores().stream().map(c -> new SimDht(net, c).putImmutable(ImmutableItem.ofBencoded(value))).toList());
        }
        assertThat(net.runUntil(() -> puts.stream().flatMap(List::stream).allMatch(CompletableFuture::isDone), 600_000)).isTrue();
        puts.stream().flatMap(List::stream).forEach(p -> assertThat(p.join().stored()).isGreaterThanOrEqualTo(6));

        List<List<CompletableFuture<Optional<ImmutableItem>>>> gets = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            byte[] value = values.get(i);
            gets.add(pairs.get(i)[1].cores().stream()
                    .map(c -> new SimDht(net, c).getImmutable(ImmutableItem.ofBencoded(value).target())).toList());
        }
        assertThat(net.runUntil(() -> gets.stream().flatMap(List::stream).allMatch(CompletableFuture::isDone), 600_000)).isTrue();
        int crossFamily = 0;
        for (int i = 0; i < pairs.size(); i++) {
            Host writer = pairs.get(i)[0];
            Host reader = pairs.get(i)[1];
            boolean found = gets.get(i).stream().anyMatch(f -> f.join().isPresent());
            assertThat(found).as("%s writer, %s reader", writer.kind(), reader.kind()).isEqualTo(writer.shares(reader));
            if (!writer.kind().equals(reader.kind())) {
                crossFamily++;
            }
        }
        assertThat(crossFamily).as("pairs of different kinds were tried").isPositive();

        // Mutable: an IPv4-only writer at seq 5 and an IPv6-only one at seq 9; a dual-stack reader sees
        // both families and the highest seq across them is 9.
        Host v4 = hosts.stream().filter(h -> h.kind().equals("v4")).findFirst().orElseThrow();
        Host v6 = hosts.stream().filter(h -> h.kind().equals("v6")).findFirst().orElseThrow();
        Host dual = hosts.get(1);
        Ed25519KeyPair signer = Ed25519KeyPair.ofSeed(new byte[32]);
        byte[] salt = Bencode.bytes("families");
        List<CompletableFuture<PutResult>> mutablePuts = List.of(
                new SimDht(net, v4.cores().get(0)).putMutable(MutableItem.sign(signer, salt, 5, Bencode.encode(Bencode.bytes("five")))),
                new SimDht(net, v6.cores().get(0)).putMutable(MutableItem.sign(signer, salt, 9, Bencode.encode(Bencode.bytes("nine")))));
        assertThat(net.runUntil(() -> mutablePuts.stream().allMatch(CompletableFuture::isDone), 120_000)).isTrue();
        List<CompletableFuture<Optional<MutableItem>>> reads = dual.cores().stream()
                .map(c -> new SimDht(net, c).getMutable(signer.publicKey(), salt)).toList();
        assertThat(net.runUntil(() -> reads.stream().allMatch(CompletableFuture::isDone), 120_000)).isTrue();
        assertThat(reads.get(0).join()).hasValueSatisfying(i -> assertThat(i.seq()).isEqualTo(5));
        assertThat(reads.get(1).join()).hasValueSatisfying(i -> assertThat(i.seq()).isEqualTo(9));
    }

    /** Each core joins through the first core of its family and a random earlier one of its family. */
    static void bootstrapPerFamily(SimNetwork net) {
        List<Integer> seen4 = new ArrayList<>();
        List<Integer> seen6 = new ArrayList<>();
        for (int i = 0; i < net.size(); i++) {
            List<Integer> family = isIpv6(net.address(i)) ? seen6 : seen4;
            if (!family.isEmpty()) {
                List<InetSocketAddress> routers = List.of(net.address(family.get(0)),
                        net.address(family.get(net.random().nextInt(family.size()))));
                CompletableFuture<?> f = net.onNode(i, n -> n.bootstrap(routers).future());
                assertThat(net.runUntil(f::isDone, 120_000)).as("bootstrap of core %d", i).isTrue();
            }
            family.add(i);
        }
        List<CompletableFuture<?>> again = new ArrayList<>();
        for (int i = 0; i < net.size(); i++) {
            again.add(net.onNode(i, n -> n.bootstrap(List.of()).future()));
        }
        assertThat(net.runUntil(() -> again.stream().allMatch(CompletableFuture::isDone), 600_000)).isTrue();
    }

    static boolean isIpv6(InetSocketAddress a) {
        return a.getAddress() instanceof Inet6Address;
    }
}
