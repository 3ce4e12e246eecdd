package dev.scout.cli;

import dev.scout.dht.Addresses;
import dev.scout.dht.DhtConfig;
import dev.scout.dht.udp.DualStackNode;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The "public DHT" of {@link Ipv6NamespaceTest}: N dual-stack nodes on one IPv4 and one IPv6 address,
 * node i on port P+i in both families. Prints {@code ready} once every node has joined and knows at
 * least 4 nodes per family, then runs until stdin closes.
 *
 * <p>Usage: {@code NamespacePublicDht V4ADDR V6ADDR BASE_PORT N}
 */
public final class NamespacePublicDht {
    private NamespacePublicDht() {}

    public static void main(String[] args) throws Exception {
        String v4 = args[0];
        String v6 = args[1];
        int base = Integer.parseInt(args[2]);
        int n = Integer.parseInt(args[3]);
        List<DualStackNode> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                List<String> b4 = i == 0 ? List.of() : List.of(Addresses.format(new InetSocketAddress(v4, base)));
                List<String> b6 = i == 0 ? List.of() : List.of(Addresses.format(new InetSocketAddress(v6, base)));
                nodes.add(DualStackNode.start(
                        DhtConfig.builder().bindAddress(new InetSocketAddress(v4, base + i)).bootstrap(b4)
                                .requestTimeoutMillis(2_000).build(),
                        DhtConfig.builder().bindAddress(new InetSocketAddress(v6, base + i)).bootstrap(b6)
                                .requestTimeoutMillis(2_000).build()));
            }
            for (int i = 1; i < n; i++) {
                nodes.get(i).bootstrapped().get(30, TimeUnit.SECONDS);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (DualStackNode node : nodes) {
                for (var family : node.families()) {
                    while (family.routingTable().get(10, TimeUnit.SECONDS).size() < Math.min(4, n - 1)) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("public DHT did not converge");
                        }
                        family.findNode(family.id()).get(10, TimeUnit.SECONDS);
                    }
                }
            }
            System.out.println("ready");
            System.out.flush();
            while (System.in.read() >= 0) {
                // run until the test closes our stdin
            }
        } finally {
            nodes.forEach(DualStackNode::close);
        }
    }
}
