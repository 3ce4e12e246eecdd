package dev.scout.bench.qps;

import dev.scout.dht.DhtConfig;
import dev.scout.dht.udp.DhtNode;
import dev.scout.dht.NodeStats;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Scout {@link DhtNode} on 127.0.0.1:PORT with no bootstrap routers, as the query-throughput target.
 * Prints {@code READY port}, runs until stdin closes, then prints its counters.
 *
 * <pre>java -cp benchmarks.jar dev.scout.bench.qps.ScoutServer PORT</pre>
 */
public final class ScoutServer {
    private ScoutServer() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        DhtConfig config = DhtConfig.builder()
                .bindAddress(new InetSocketAddress("127.0.0.1", port))
                .bootstrap(List.of())
                .build();
        try (DhtNode node = DhtNode.start(config)) {
            System.out.println("READY " + node.localAddress().getPort());
            System.out.flush();
            while (System.in.read() >= 0) {
                // run until the driver closes stdin
            }
            NodeStats s = node.stats().get(5, TimeUnit.SECONDS);
            System.out.println("STATS received=" + s.received() + " sent=" + s.sent() + " answered="
                    + s.queriesAnswered() + " malformed=" + s.malformed() + " table=" + s.routingTableSize());
        }
    }
}
