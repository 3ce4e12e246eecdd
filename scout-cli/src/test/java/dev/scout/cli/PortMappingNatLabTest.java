package dev.scout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scout.natlab.PortMappingRouter;
import dev.scout.natlab.ScoutLab.Device;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static dev.scout.cli.ScoutLabFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Port mapping through a real router (issue 21): Alice (h1) behind a symmetric NAT whose router also
 * runs miniupnpd ({@link PortMappingRouter}: PCP, NAT-PMP, UPnP IGD), Bob (h2) behind a plain symmetric
 * NAT; no relay. Without the mapping this pair has no direct path at all. Alice's daemon maps its DHT
 * port by PCP, publishes the mapped address first, and Bob's packets come in through it: a direct
 * session, 5 MB intact. When Alice's daemon stops, the router holds no mapping. Carol, on Alice's LAN,
 * runs her daemon with {@code --no-port-mapping}: the router maps nothing for her.
 *
 * <p>Needs root, {@code ip}, {@code iptables}, {@code nft}, {@code miniupnpd} and {@code python3}
 * (./run-tests installs them): without them it fails with the reason, never skips.
 */
@Timeout(240)
class PortMappingNatLabTest {
    private static final int FIVE_MB = 5 << 20;
    private static PortMappingRouter router;
    @RegisterExtension
    static final ScoutLabFixture LAB = ScoutLabFixture.of("port-mapping", lab -> {
        PortMappingRouter.requireCapabilities();
        router = lab.portMapping(1);
    }, true, true);
    private static Device alice;
    private static Device bob;
    private static Device carol;

    @BeforeAll
    static void buildLabAndStartDaemons() throws Exception {
        alice = LAB.device("alice", "h1", 6881);
        bob = LAB.device("bob", "h2", 6881);
        carol = LAB.device("carol", "h1", 6882); // Alice's housemate, who turned port mapping off
        for (Device d : List.of(alice, bob, carol)) {
            d.init();
        }
        alice.addContact(bob);
        bob.addContact(alice);
        alice.startDaemon();
        bob.startDaemon();
        carol.startDaemon("--no-port-mapping");
    }

    @Test
    void symmetricHomeWithMiniupnpdReachesSymmetricHomeDirectlyThroughTheMapping() throws Exception {
        String mapped = router.wanAddress() + ":6881";
        // Alice's daemon maps its DHT port by PCP (the first protocol asked) and says so in its status ...
        JsonNode status = json(alice.awaitApi(h -> mapped.equals(json(h).path("port_mapping").path("external").asText()),
                "/v1/status", 60));
        assertThat(status.path("port_mapping").path("protocol").asText()).isEqualTo("pcp");
        assertThat(status.path("port_mapping").path("expires").asText()).isNotEmpty();
        assertThat(status.path("reachability").asText()).as("a mapped daemon is reachable").isEqualTo("reachable");
        assertThat(router.mappings()).as("miniupnpd's mappings").singleElement().asString()
                .contains("dport 6881").contains("10.251.1.2:6881");
        assertThat(alice.ok("status").out()).contains("port mapping    pcp " + mapped);
        // --no-port-mapping leaves the router alone: by the time Carol knows her NAT, a mapping would long be there.
        carol.awaitApi(h -> "symmetric".equals(json(h).path("nat").asText()), "/v1/status", 60);
        assertThat(json(carol.api("GET", "/v1/status", null)).path("port_mapping").isNull()).isTrue();
        assertThat(router.mappings()).as("only Alice's port is mapped").singleElement().asString().contains("dport 6881");
        // ... both NATs rewrite source ports (--random-fully): the DHT's votes look symmetric for both ...
        for (Device d : List.of(alice, bob)) {
            d.awaitApi(h -> "symmetric".equals(json(h).path("nat").asText()), "/v1/status", 60);
        }
        // ... yet the mapping decides Alice's published address: first in her device entry.
        bob.awaitApi(h -> h.status() == 200 && json(h).toString().contains(mapped), "/v1/contacts/alice", 60);
        assertThat(json(bob.api("GET", "/v1/status", null)).path("port_mapping").isNull()).as("Bob's router maps nothing").isTrue();

        List<String> lines = LAB.pipe(alice, bob, FIVE_MB, 21);
        System.out.println("port-mapping lab: " + lines);
        // Bob's session runs to the mapped address itself: direct through the mapping, nothing relayed.
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("session with alice at " + mapped));
        assertThat(lines).noneMatch(l -> l.contains("relay"));

        // No mapping outlives scout stop.
        alice.stopDaemon();
        assertThat(router.mappings()).as("miniupnpd's mappings after scout stop; its log: %s", router.log()).isEmpty();
        assertThat(alice.daemon().transcript()).anyMatch(l -> l.contains("port mapping: pcp mapping " + mapped + " deleted"));
    }
}
