package dev.scout.cli;

import dev.scout.cli.common.CommandNode;

import dev.scout.cli.CliTestSupport.Run;
import dev.scout.dht.Addresses;
import dev.scout.dht.udp.DhtNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.Inet6Address;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/spec.md §10 on an IPv6 loopback network ({@code scout testnet --host ::1}): the whole
 * {@code init / contacts / sync / send / inbox} story and {@code dht put/get/announce/peers}, every
 * command bootstrapping from {@code [::1]:P} and binding an IPv6 socket only.
 */
@Timeout(180)
class Ipv6LoopbackTest {
    @RegisterExtension
    static final LoopbackNetwork NET = LoopbackNetwork.ipv6(16);

    @TempDir
    Path tmp;

    static Run ok(Path dir, String... args) {
        return NET.ok(dir, args);
    }

    @Test
    void theTestnetListensOnIpv6LoopbackAndNamesItselfInBrackets() {
        assertThat(NET.entry()).matches("\\[::1]:\\d+");
        for (DhtNode n : NET.testnet().nodes()) {
            assertThat(n.localAddress().getAddress()).isInstanceOf(Inet6Address.class);
            assertThat(n.localAddress().getAddress().isLoopbackAddress()).isTrue();
        }
    }

    @Test
    void theWholeStoryRunsOverIpv6() {
        Path alice = tmp.resolve("alice");
        Path bob = tmp.resolve("bob");
        String aliceKey = ok(alice, "init", "--seed", AppCommandsTest.ALICE_SEED).out().strip();
        String bobKey = ok(bob, "init", "--seed", AppCommandsTest.BOB_SEED).out().strip();
        ok(alice, "contacts", "add", "bob", bobKey);
        ok(bob, "contacts", "add", "alice", aliceKey);

        Map<String, Object> first = ok(alice, "--json", "sync").json();
        assertThat((Long) first.get("stored")).isPositive();
        Map<String, Object> bobSync = ok(bob, "--json", "sync", "alice").json();
        assertThat(AppCommandsTest.devices(bobSync)).singleElement()
                .satisfies(d -> assertThat(d.get("tag")).isEqualTo((long) AppCommandsTest.deviceTag(alice)));
        ok(alice, "sync", "bob");

        assertThat(ok(alice, "send", "bob", "hello over IPv6").out()).startsWith("sent to bob (message ");
        List<String> read = ok(bob, "inbox").out().lines().toList();
        assertThat(read).singleElement().satisfies(l -> assertThat(l).endsWith("] alice: hello over IPv6"));
        assertThat(ok(bob, "inbox").out().strip()).isEqualTo("no new messages");

        // The routing table a command saved is an IPv6 one, in the IPv6 file of this network.
        assertThat(CommandNode.stateFile6(alice, List.of(NET.entry()), false)).exists();
    }

    @Test
    void dhtCommandsRunOverIpv6() {
        Path dir = tmp.resolve("dht");
        Map<String, Object> put = ok(dir, "--json", "dht", "put", "v6 value").json();
        assertThat((Long) put.get("stored")).isPositive();
        assertThat(ok(dir, "dht", "get", (String) put.get("target")).out().strip()).isEqualTo("v6 value");

        String seed = HexFormat.of().formatHex(new byte[32]).replace("00", "07");
        Map<String, Object> mutable = ok(dir, "--json", "dht", "put", "--mutable", "--seed", seed, "m1").json();
        assertThat(mutable).containsEntry("seq", 1L);
        assertThat(ok(dir, "--json", "dht", "put", "--mutable", "--seed", seed, "m2").json()).containsEntry("seq", 2L);
        assertThat(ok(dir, "dht", "get", "--key", (String) mutable.get("public_key")).out().strip()).isEqualTo("m2");

        byte[] hash = new byte[20];
        new Random(6).nextBytes(hash);
        String infoHash = HexFormat.of().formatHex(hash);
        Map<String, Object> announced = ok(dir, "--json", "dht", "announce", infoHash, "--port", "7777").json();
        assertThat((Long) announced.get("stored")).isPositive();
        assertThat(ok(dir, "--json", "dht", "peers", infoHash).out().strip())
                .isEqualTo("{\"peers\":[\"[::1]:7777\"]}");

        String pinged = ok(dir, "dht", "ping", Addresses.format(NET.testnet().nodes().get(3).localAddress())).out().strip();
        assertThat(pinged).isEqualTo(NET.testnet().nodes().get(3).id().toHex());
    }
}
