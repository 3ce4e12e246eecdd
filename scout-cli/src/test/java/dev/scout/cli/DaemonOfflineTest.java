package dev.scout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scout.dht.DhtConfig;
import dev.scout.dht.udp.DhtNode;
import dev.scout.dht.udp.LoopbackTestnet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

import static dev.scout.cli.CliTestSupport.on;
import static dev.scout.cli.CliTestSupport.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20: {@code scout daemon} started without a network (its bootstrap answers nobody) keeps running
 * instead of exiting, says so in its status, and joins once the network is there.
 */
@Timeout(180)
class DaemonOfflineTest {
    @TempDir
    Path tmp;

    @Test
    void aDaemonStartedWithoutTheNetworkKeepsRunningAndJoinsWhenItComes() throws Exception {
        int port;
        try (DatagramSocket free = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        String nowhere = "127.0.0.1:" + port;
        Path dir = tmp.resolve("alice");
        succeeded(CliTestSupport.run(on(dir, nowhere, "init")));
        try (DaemonHarness alice = DaemonHarness.start(dir, nowhere)) {
            assertThat(alice.log()).contains("could not reach the DHT yet").contains("keeps trying");
            JsonNode offline = alice.await("/v1/status", s -> !s.path("network").path("online").asBoolean(true),
                    "the status saying the daemon is offline");
            assertThat(offline.path("network").path("offline_since").asText()).isNotEmpty();

            try (DhtNode router = DhtNode.start(DhtConfig.builder().bindAddress(new InetSocketAddress("127.0.0.1", port))
                    .bootstrap(List.of()).requestTimeoutMillis(LoopbackTestnet.REQUEST_TIMEOUT_MILLIS).build())) {
                long up = System.nanoTime();
                alice.await("/v1/status", s -> s.path("network").path("online").asBoolean(false)
                        && s.path("routing_table_size").asInt() > 0, "the daemon online with the router in its table");
                long millis = (System.nanoTime() - up) / 1_000_000;
                System.out.printf("daemon joined %d ms after the network appeared%n", millis);
                assertThat(millis).as("joined within 20 s of the network's arrival").isLessThan(20_000);
                assertThat(alice.log()).contains("online: the DHT answers again");
            }
        }
    }
}
