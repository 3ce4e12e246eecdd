package dev.scout.natlab;

import dev.scout.dht.DhtConfig;
import dev.scout.dht.udp.DhtNode;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The NAT lab's public DHT: one node on each of several public addresses (same port), all in one JVM.
 * Separate addresses matter: BEP 42 external-address votes count once per voter IP, and a daemon needs
 * votes from several IPs to tell a symmetric NAT (a new port per destination) from a cone NAT — as on
 * the real Internet, where every node has its own address. Prints {@code ready FIRST:PORT} once every
 * node knows at least 4 others, then runs until stdin closes or it is killed.
 *
 * <p>Usage: {@code PublicDht PORT ADDR...}
 */
public final class PublicDht {
    private PublicDht() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        List<DhtNode> nodes = new ArrayList<>();
        String first = args[1] + ":" + port;
        try {
            for (int i = 1; i < args.length; i++) {
                nodes.add(DhtNode.start(DhtConfig.builder().bindAddress(new InetSocketAddress(args[i], port))
                        .bootstrap(i == 1 ? List.of() : List.of(first)).requestTimeoutMillis(2_000).build()));
            }
            for (int i = 1; i < nodes.size(); i++) {
                nodes.get(i).bootstrapped().get(30, TimeUnit.SECONDS);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int want = Math.min(4, nodes.size() - 1);
            for (DhtNode node : nodes) {
                while (node.routingTable().get(10, TimeUnit.SECONDS).size() < want) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the public DHT did not converge");
                    }
                    node.findNode(node.id()).get(10, TimeUnit.SECONDS);
                }
            }
            System.out.println("ready " + first);
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until stdin closes
            }
        } finally {
            nodes.forEach(DhtNode::close);
        }
    }
}
