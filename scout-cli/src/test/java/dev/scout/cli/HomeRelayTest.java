package dev.scout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scout.cli.demo.Testnet;
import dev.scout.dht.Addresses;
import dev.scout.dht.DhtConfig;
import dev.scout.dht.NodeId;
import dev.scout.dht.udp.DhtNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static dev.scout.cli.CliTestSupport.on;
import static dev.scout.cli.CliTestSupport.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Home relays found on the DHT (docs/sessions.md, "Finding a home relay"), with real daemons on a
 * loopback testnet and no {@code --relay-via} anywhere: two daemons that act as if behind symmetric
 * NATs ({@code --assume-nat symmetric}), so no direct path can work between them, and daemons with
 * default options, which find themselves publicly reachable (NAT none) and relay by default.
 */
@Timeout(300)
class HomeRelayTest {
    /** Fake relays: announced under the relays' info-hash from two other loopback addresses, never answering. */
    private static final int FAKES_PER_ANNOUNCER = 6;

    @TempDir
    Path tmp;

    /** The well-known info-hash of docs/spec.md §7. */
    private static NodeId relaysInfoHash() throws Exception {
        return NodeId.of(MessageDigest.getInstance("SHA-1").digest("scout relay 1".getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * Fake announcements first, then a real relay, then a second one and the first killed. Checks: the
     * fakes cost each daemon at most one probe per fake address and nothing more; once a default public
     * daemon announces itself, both get it as home relay and a session between them connects through it
     * in ≤ 1.5 s ({@code via: relay}); when it dies, both register with the other relay within 60 s and
     * connect through that one.
     */
    @Test
    void daemonsBehindNatsFindAHomeRelayOnTheDhtAndMoveWhenItDies() throws Exception {
        try (Testnet net = Testnet.start(12, 0, 60_000)) {
            String entry = Addresses.format(net.entry());
            List<DatagramChannel> fakes = new ArrayList<>();
            List<DhtNode> announcers = new ArrayList<>();
            DaemonHarness relay1 = null;
            DaemonHarness relay2 = null;
            DaemonHarness grace = null;
            DaemonHarness heidi = null;
            try {
                for (String host : List.of("127.0.0.2", "127.0.0.3")) {
                    DhtNode announcer = DhtNode.start(DhtConfig.builder().bindAddress(new InetSocketAddress(host, 0))
                            .bootstrap(List.of(entry)).requestTimeoutMillis(Testnet.REQUEST_TIMEOUT_MILLIS).build());
                    announcers.add(announcer);
                    announcer.bootstrapped().get(30, TimeUnit.SECONDS);
                    for (int i = 0; i < FAKES_PER_ANNOUNCER; i++) {
                        DatagramChannel fake = DatagramChannel.open().bind(new InetSocketAddress(host, 0));
                        fake.configureBlocking(false);
                        fakes.add(fake);
                        int port = ((InetSocketAddress) fake.getLocalAddress()).getPort();
                        assertThat(announcer.announce(relaysInfoHash(), port).get(30, TimeUnit.SECONDS).stored()).isPositive();
                    }
                }
                Path graceDir = tmp.resolve("grace");
                Path heidiDir = tmp.resolve("heidi");
                CliTestSupport.pair(entry, graceDir, heidiDir); // grace knows "bob", heidi knows "alice"
                List<String> symmetric = List.of("--assume-nat", "symmetric");
                grace = DaemonHarness.startWith(graceDir, entry, symmetric);
                heidi = DaemonHarness.startWith(heidiDir, entry, symmetric);

                // Only fakes announced: each daemon probes each at most once, and says it found none.
                for (DaemonHarness d : List.of(grace, heidi)) {
                    await(d, r -> r.path("error").asText("").contains("none answered a probe"), 40);
                }
                Thread.sleep(22_000); // a window with at least one more look at the DHT (10 s, 20 s, 40 s, then every 60 s apart)
                long[] probes = drainProbes(fakes);
                long total = 0;
                for (long p : probes) {
                    assertThat(p).as("probes per fake address (two daemons, each at most once per 10 min)").isBetween(0L, 2L);
                    total += p;
                }
                assertThat(total).as("probes to fakes").isGreaterThanOrEqualTo(2).isLessThanOrEqualTo(2L * fakes.size());
                JsonNode graceRelay = relay(grace);
                assertThat(graceRelay.path("registered").asBoolean()).isFalse();
                assertThat(graceRelay.path("error").asText()).startsWith("no relay found (")
                        .contains(fakes.size() + " announced");
                System.out.println("fake relays: " + fakes.size() + " announced, " + total + " probes from two daemons over 3+ looks; "
                        + "status error: " + graceRelay.path("error").asText());

                // A daemon with default options relays by default once it finds itself public, and announces itself.
                relay1 = startPublic("relay1", entry);
                String relay1At = relay(relay1).path("node").asText();
                long t0 = System.nanoTime();
                for (DaemonHarness d : List.of(grace, heidi)) {
                    await(d, r -> r.path("registered").asBoolean() && relay1At.equals(r.path("via").asText())
                            && "dht".equals(r.path("found").asText()) && r.path("published_to").asInt() == 1, 90);
                }
                System.out.println("home relay found and registered " + (System.nanoTime() - t0) / 1_000_000
                        + " ms after the relay's daemon was up: " + relay(grace));
                assertThat(relay(grace).path("rtt_ms").asLong()).isBetween(0L, 1_500L);
                assertThat(relay(grace).path("error").isNull()).as(relay(grace).toString()).isTrue();
                connectThrough(grace, "bob", relay1At, 1_500);
                assertThat(succeeded(CliTestSupport.run(on(graceDir, "127.0.0.1:9", "status"))).out())
                        .contains("relay           home " + relay1At + " (found on the DHT, ").contains(" ms, registered)");
                assertThat(succeeded(CliTestSupport.run(on(tmp.resolve("relay1"), "127.0.0.1:9", "status"))).out())
                        .contains("relay           relaying for others (modest limits, 2 clients, announced on the DHT)");

                // A second public daemon; the first one dies: both move to the second within 60 s.
                relay2 = startPublic("relay2", entry);
                String relay2At = relay(relay2).path("node").asText();
                relay1.stop();
                relay1 = null;
                long k0 = System.nanoTime();
                for (DaemonHarness d : List.of(grace, heidi)) {
                    await(d, r -> r.path("registered").asBoolean() && relay2At.equals(r.path("via").asText())
                            && r.path("published_to").asInt() == 1, 60);
                    assertThat((System.nanoTime() - k0) / 1_000_000).as("moved within 60 s").isLessThan(60_000);
                }
                System.out.println("home relay died: both daemons registered with the other relay "
                        + (System.nanoTime() - k0) / 1_000_000 + " ms later");
                connectThrough(heidi, "alice", relay2At, 15_000); // Grace's new entry may not be read yet: a slower connect
                assertThat(drainProbes(fakes)).as("no fake probed again within 10 min").containsOnly(0L);
            } finally {
                for (DaemonHarness d : new DaemonHarness[] {grace, heidi, relay1, relay2}) {
                    if (d != null) {
                        d.stop();
                    }
                }
                announcers.forEach(DhtNode::close);
                for (DatagramChannel c : fakes) {
                    c.close();
                }
            }
        }
    }

    /** A daemon with default options, once it relays and is announced; its relay object has "node" added. */
    private DaemonHarness startPublic(String name, String entry) throws Exception {
        Path dir = tmp.resolve(name);
        succeeded(CliTestSupport.run(on(dir, entry, "init")));
        DaemonHarness d = DaemonHarness.start(dir, entry);
        JsonNode r = await(d, x -> x.path("serving").asBoolean() && x.path("announced").asBoolean(), 60);
        assertThat(r.path("limits").asText()).isEqualTo("modest");
        return d;
    }

    /** A session from {@code from} to {@code contact} connects via the relay at {@code relayAt} within {@code millis}. */
    private static void connectThrough(DaemonHarness from, String contact, String relayAt, long millis) throws Exception {
        JsonNode s = from.expect(201, "POST", "/v1/sessions", "{\"contact\": \"" + contact + "\"}");
        System.out.println("session via " + s.path("via").asText() + " at " + s.path("relay").asText() + " in "
                + s.path("connect_ms").asLong() + " ms");
        assertThat(s.path("via").asText()).as(s.toString()).isEqualTo("relay");
        assertThat(s.path("relay").asText()).isEqualTo(relayAt);
        assertThat(s.path("connect_ms").asLong()).as(s.toString()).isLessThanOrEqualTo(millis);
        from.expect(200, "DELETE", "/v1/sessions/" + s.path("id").asText(), null);
    }

    /** The daemon's {@code relay} status object, with its own node address added as "node". */
    private static JsonNode relay(DaemonHarness d) throws Exception {
        JsonNode status = d.expect(200, "GET", "/v1/status", null);
        return ((com.fasterxml.jackson.databind.node.ObjectNode) status.get("relay").deepCopy())
                .put("node", status.path("local_address").asText());
    }

    private static JsonNode await(DaemonHarness d, Predicate<JsonNode> ok, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        JsonNode r = relay(d);
        while (!ok.test(r)) {
            assertThat(System.nanoTime()).as("waited %d s for the relay status; last: %s\n%s", seconds, r, d.log())
                    .isLessThan(deadline);
            Thread.sleep(200);
            r = relay(d);
        }
        return r;
    }

    /** Relay probes (REGISTER datagrams, 0xF5 0x01) each fake received since the last drain. */
    private static long[] drainProbes(List<DatagramChannel> fakes) throws Exception {
        long[] out = new long[fakes.size()];
        ByteBuffer b = ByteBuffer.allocate(2048);
        for (int i = 0; i < fakes.size(); i++) {
            while (true) {
                b.clear();
                if (fakes.get(i).receive(b) == null) {
                    break;
                }
                if (b.position() >= 2 && b.get(0) == (byte) 0xF5 && b.get(1) == 1) {
                    out[i]++;
                }
            }
        }
        return out;
    }
}
