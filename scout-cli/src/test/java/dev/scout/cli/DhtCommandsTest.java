package dev.scout.cli;

import dev.scout.cli.common.CommandNode;
import dev.scout.cli.demo.Testnet;

import dev.scout.cli.CliTestSupport.Run;
import dev.scout.dht.Addresses;
import dev.scout.dht.udp.DhtNode;
import dev.scout.dht.NodeId;
import dev.scout.dht.bencode.Bencode;
import dev.scout.dht.item.Hashes;
import dev.scout.dht.Ed25519KeyPair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static dev.scout.cli.CliTestSupport.on;
import static org.assertj.core.api.Assertions.assertThat;

/** Every {@code scout dht} command, in-process, against a 12-node loopback network. */
@Timeout(60)
class DhtCommandsTest {
    static Testnet net;
    static String entry;
    static final HexFormat HEX = HexFormat.of();

    @TempDir
    static Path stateDir;

    @BeforeAll
    static void startNetwork() {
        net = Testnet.start(12, 0, 30_000);
        entry = Addresses.format(net.entry());
    }

    @AfterAll
    static void stopNetwork() {
        if (net != null) {
            net.close();
        }
    }

    static Run scout(String... args) {
        return CliTestSupport.run(on(stateDir, entry, args));
    }

    static Run ok(String... args) {
        Run r = scout(args);
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.err()).as(r.toString()).isEmpty();
        return r;
    }

    /** Exit code {@code exit}, nothing on stdout, exactly one stderr line "scout: ..." without a stack trace. */
    static String fails(int exit, Run r) {
        assertThat(r.exit()).as(r.toString()).isEqualTo(exit);
        assertThat(r.out()).as(r.toString()).isEmpty();
        assertThat(r.errLines()).as(r.toString()).hasSize(1);
        String line = r.errLines().get(0);
        assertThat(line).startsWith("scout: ").doesNotContain("Exception").doesNotContain("\tat ");
        return line;
    }

    static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HEX.formatHex(b);
    }

    @Test
    void pingPrintsTheNodeId() {
        DhtNode target = net.nodes().get(3);
        String address = Addresses.format(target.localAddress());
        assertThat(ok("dht", "ping", address).out().strip()).isEqualTo(target.id().toHex());
        Map<String, Object> json = ok("--json", "dht", "ping", address).json();
        assertThat(json).containsOnlyKeys("node_id", "address")
                .containsEntry("node_id", target.id().toHex()).containsEntry("address", address);
    }

    @Test
    void findNodeFindsTheNodeWithThatId() {
        DhtNode target = net.nodes().get(7);
        Map<String, Object> json = ok("--json", "dht", "find-node", target.id().toHex()).json();
        assertThat(json).containsOnlyKeys("nodes");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) json.get("nodes");
        assertThat(nodes).isNotEmpty();
        assertThat(nodes.get(0)).containsOnlyKeys("id", "address")
                .containsEntry("id", target.id().toHex())
                .containsEntry("address", Addresses.format(target.localAddress()));
        String human = ok("dht", "find-node", target.id().toHex()).out();
        assertThat(human.lines().findFirst().orElseThrow())
                .isEqualTo(target.id().toHex() + " " + Addresses.format(target.localAddress()));
    }

    @Test
    void announcedPeerIsFoundThroughAnotherEntryNode() {
        String infoHash = randomHex(20);
        Map<String, Object> announced = ok("--json", "dht", "announce", infoHash, "--port", "7777").json();
        assertThat(announced).containsOnlyKeys("info_hash", "stored").containsEntry("info_hash", infoHash);
        assertThat((Long) announced.get("stored")).isPositive();

        // Global options after the subcommand, and another entry node.
        String other = Addresses.format(net.nodes().get(5).localAddress());
        Run peers = CliTestSupport.run("dht", "peers", infoHash, "--json", "--bootstrap", other,
                "--state-dir", stateDir.toString());
        assertThat(peers.exit()).as(peers.toString()).isZero();
        assertThat(peers.out().strip()).isEqualTo("{\"peers\":[\"127.0.0.1:7777\"]}");
        assertThat(ok("dht", "peers", infoHash).out()).isEqualTo("127.0.0.1:7777" + System.lineSeparator());
        assertThat(ok("--json", "dht", "peers", randomHex(20)).json()).containsEntry("peers", List.of());
    }

    @Test
    void immutablePutAndGet() {
        Map<String, Object> put = ok("--json", "dht", "put", "hello, scout – ünïcode").json();
        String expected = HEX.formatHex(Hashes.sha1(Bencode.encode(Bencode.bytes("hello, scout – ünïcode"))));
        assertThat(put).containsOnlyKeys("target", "stored").containsEntry("target", expected);
        assertThat((Long) put.get("stored")).isPositive();

        assertThat(ok("dht", "get", expected).out()).isEqualTo("hello, scout – ünïcode" + System.lineSeparator());
        assertThat(ok("--json", "dht", "get", expected).json()).containsOnlyKeys("target", "value")
                .containsEntry("target", expected).containsEntry("value", "hello, scout – ünïcode");
    }

    @Test
    void bencodedValuesAreStoredAsIsAndPrintedBencoded() {
        Map<String, Object> put = ok("--json", "dht", "put", "--bencoded", "d1:ai1e1:bl2:xyee").json();
        String target = (String) put.get("target");
        assertThat(target).isEqualTo(HEX.formatHex(Hashes.sha1(Bencode.bytes("d1:ai1e1:bl2:xyee"))));
        assertThat(ok("dht", "get", target).out().strip()).isEqualTo("d1:ai1e1:bl2:xyee");

        String line = fails(2, scout("dht", "put", "--bencoded", "d1:ai1e"));
        assertThat(line).contains("not valid bencode");
    }

    @Test
    void mutableWithoutSaltUpdatesAndIsReadBack() {
        String seed = randomHex(32);
        String publicKey = Ed25519KeyPair.ofSeed(HEX.parseHex(seed)).publicKey().toHex();
        String target = HEX.formatHex(Hashes.sha1(HEX.parseHex(publicKey)));

        Map<String, Object> first = ok("--json", "dht", "put", "--mutable", "--seed", seed, "v1").json();
        assertThat(first).containsOnlyKeys("target", "public_key", "seq", "stored")
                .containsEntry("target", target).containsEntry("public_key", publicKey).containsEntry("seq", 1L);
        assertThat((Long) first.get("stored")).isPositive();
        assertThat(ok("--json", "dht", "get", "--key", publicKey).json()).containsOnlyKeys("target", "value", "seq")
                .containsEntry("target", target).containsEntry("value", "v1").containsEntry("seq", 1L);

        // Without --seq: highest + 1. A later get sees the update.
        assertThat(ok("--json", "dht", "put", "--mutable", "--seed", seed, "v2").json()).containsEntry("seq", 2L);
        assertThat(ok("dht", "get", "--key", publicKey).out().strip()).isEqualTo("v2");

        // Explicit --seq, and --cas matching the stored seq.
        assertThat(ok("--json", "dht", "put", "--mutable", "--seed", seed, "--seq", "10", "--cas", "2", "v10").json())
                .containsEntry("seq", 10L);
        assertThat(ok("--json", "dht", "get", "--key", publicKey).json())
                .containsEntry("value", "v10").containsEntry("seq", 10L);

        // --cas alone: seq = cas + 1.
        assertThat(ok("--json", "dht", "put", "--mutable", "--seed", seed, "--cas", "10", "v11").json())
                .containsEntry("seq", 11L);
    }

    @Test
    void mutableWithSaltIsSeparateFromTheUnsaltedItem() {
        String seed = randomHex(32);
        String publicKey = Ed25519KeyPair.ofSeed(HEX.parseHex(seed)).publicKey().toHex();
        String target = HEX.formatHex(Hashes.sha1(HEX.parseHex(publicKey), Bencode.bytes("inbox")));

        Map<String, Object> put = ok("--json", "dht", "put", "--mutable", "--seed", seed, "--salt", "inbox", "salted").json();
        assertThat(put).containsEntry("target", target).containsEntry("seq", 1L);
        // --salt-hex names the same salt; the unsalted item does not exist.
        assertThat(ok("--json", "dht", "get", "--key", publicKey, "--salt-hex", HEX.formatHex(Bencode.bytes("inbox"))).json())
                .containsEntry("target", target).containsEntry("value", "salted").containsEntry("seq", 1L);
        String unsalted = HEX.formatHex(Hashes.sha1(HEX.parseHex(publicKey)));
        assertThat(fails(1, scout("dht", "get", "--key", publicKey))).isEqualTo("scout: no item found for " + unsalted);
    }

    @Test
    void staleSeqIsRejectedWith302() {
        String seed = randomHex(32);
        ok("dht", "put", "--mutable", "--seed", seed, "--seq", "5", "five");
        String line = fails(1, scout("dht", "put", "--mutable", "--seed", seed, "--seq", "4", "four"));
        assertThat(line).isEqualTo("scout: put rejected: sequence number not newer than the stored one (302)");
        String same = fails(1, scout("--json", "dht", "put", "--mutable", "--seed", seed, "--seq", "5", "five again"));
        assertThat(same).contains("(302)");
    }

    @Test
    void casMismatchIsRejectedWith301() {
        String seed = randomHex(32);
        ok("dht", "put", "--mutable", "--seed", seed, "--seq", "3", "three");
        String line = fails(1, scout("dht", "put", "--mutable", "--seed", seed, "--seq", "9", "--cas", "2", "nine"));
        assertThat(line).startsWith("scout: put rejected: cas mismatch (301)");
    }

    @Test
    void missingItemIsAnError() {
        String target = randomHex(20);
        assertThat(fails(1, scout("dht", "get", target))).isEqualTo("scout: no item found for " + target);
        assertThat(fails(1, scout("--json", "dht", "get", target))).isEqualTo("scout: no item found for " + target);
    }

    @Test
    void limitsAreCheckedBeforeAnyNetworkActivity() {
        // The bootstrap address is dead: reaching the network would fail differently (and slowly).
        String dead = "127.0.0.1:9";
        String big = "x".repeat(996); // 4:996 prefix makes 1000 bytes: the largest allowed
        String tooBig = "x".repeat(997);
        String line = fails(2, CliTestSupport.run(on(stateDir, dead, "dht", "put", tooBig)));
        assertThat(line).contains("1001 bytes").contains("at most 1000");
        line = fails(2, CliTestSupport.run(on(stateDir, dead, "dht", "put", "--mutable", "--seed", randomHex(32), tooBig)));
        assertThat(line).contains("at most 1000");
        line = fails(2, CliTestSupport.run(on(stateDir, dead, "dht", "put", "--mutable", "--seed", randomHex(32),
                "--salt", "s".repeat(65), "v")));
        assertThat(line).contains("salt is 65 bytes").contains("at most 64");
        line = fails(2, CliTestSupport.run(on(stateDir, dead, "dht", "get", "--key", randomHex(32),
                "--salt-hex", randomHex(65))));
        assertThat(line).contains("salt is 65 bytes");

        // The largest value and salt are accepted and travel.
        String seed = randomHex(32);
        assertThat(ok("--json", "dht", "put", big).json()).containsKey("target");
        assertThat(ok("--json", "dht", "put", "--mutable", "--seed", seed, "--salt", "s".repeat(64), big).json())
                .containsEntry("seq", 1L);
    }

    @Test
    void usageErrorsExitWith2() {
        assertThat(fails(2, scout("dht", "put", "--bogus", "v"))).contains("--bogus");
        assertThat(fails(2, scout("dht", "peers"))).contains("INFOHASH");
        assertThat(fails(2, scout("dht", "peers", "xyz"))).contains("INFOHASH must be hex digits");
        assertThat(fails(2, scout("dht", "peers", "abcd"))).contains("INFOHASH must be 40 hex digits");
        assertThat(fails(2, scout("dht", "find-node", "g".repeat(40)))).contains("ID must be hex digits");
        assertThat(fails(2, scout("dht", "put", "--mutable", "v"))).contains("--seed");
        assertThat(fails(2, scout("dht", "put", "--mutable", "--seed", "abc", "v"))).contains("--seed");
        assertThat(fails(2, scout("dht", "put", "--seq", "3", "v"))).contains("--seq needs --mutable");
        assertThat(fails(2, scout("dht", "get"))).contains("TARGET");
        assertThat(fails(2, scout("dht", "get", randomHex(20), "--key", randomHex(32)))).contains("not both");
        assertThat(fails(2, scout("dht", "get", "--key", randomHex(32), "--salt", "a", "--salt-hex", "61"))).contains("not both");
        assertThat(fails(2, scout("dht", "ping", "nonsense"))).contains("HOST:PORT");
        assertThat(fails(2, scout("dht", "announce", randomHex(20), "--port", "70000"))).contains("--port");
        assertThat(fails(2, CliTestSupport.run("--bootstrap", "nohost", "dht", "peers", randomHex(20)))).contains("--bootstrap");
        assertThat(fails(2, CliTestSupport.run("--port", "x", "dht", "peers", randomHex(20)))).contains("--port");
        assertThat(fails(2, CliTestSupport.run("dht"))).contains("missing command");
        assertThat(fails(2, CliTestSupport.run("frobnicate"))).contains("frobnicate");
    }

    @Test
    void unreachableBootstrapIsOneClearLine() {
        String line = fails(1, CliTestSupport.run(on(stateDir.resolve("fresh"), "127.0.0.1:9", "dht", "peers", randomHex(20))));
        assertThat(line).isEqualTo("scout: could not reach the DHT (bootstrap: 127.0.0.1:9)");
    }

    @Test
    void pingWithoutAnswerIsOneClearLine() {
        assertThat(fails(1, scout("dht", "ping", "127.0.0.1:9"))).isEqualTo("scout: no answer from 127.0.0.1:9");
    }

    @Test
    void stateDirectoryIsPrivateAndKeepsTheRoutingTable() throws Exception {
        Path dir = stateDir.resolve("new").resolve("scout");
        Run r = CliTestSupport.run(on(dir, entry, "--json", "dht", "peers", randomHex(20)));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(Files.isDirectory(dir)).isTrue();
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList())
                    .singleElement().asString().startsWith("dht-routing-").endsWith(".bencode");
        }
        assertThat(CommandNode.stateFile(dir, List.of("router.example:1"), true))
                .isEqualTo(dir.resolve("dht-routing.bencode"));
    }

    @Test
    void globalPortWorksBeforeAndAfterTheSubcommand() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            String port = Integer.toString(taken.getLocalPort());
            String after = fails(1, scout("dht", "peers", randomHex(20), "--port", port));
            assertThat(after).isEqualTo("scout: cannot open UDP port " + port + ": Address already in use");
            String before = fails(1, scout("--port", port, "dht", "get", randomHex(20)));
            assertThat(before).isEqualTo(after);
        }
    }

    @Test
    void versionHelpAndCompletion() {
        Run version = CliTestSupport.run("--version");
        assertThat(version.exit()).isZero();
        // The version printed is the POM's (surefire passes it in), never a constant in the code.
        assertThat(System.getProperty("scout.pom.version")).isNotBlank();
        assertThat(version.out().strip()).isEqualTo("scout " + System.getProperty("scout.pom.version"));
        Run help = CliTestSupport.run("dht", "put", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--mutable", "--salt-hex", "--bencoded", "--json", "--state-dir");
        Run completion = CliTestSupport.run("completion");
        assertThat(completion.exit()).isZero();
        assertThat(completion.out()).contains("complete").contains("scout").contains("find-node");
    }

    @Test
    void nodeIdsInOutputAreWellFormed() {
        Map<String, Object> json = ok("--json", "dht", "find-node", NodeId.random().toHex()).json();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) json.get("nodes");
        assertThat(nodes).isNotEmpty().allSatisfy(n -> {
            assertThat((String) n.get("id")).matches("[0-9a-f]{40}");
            assertThat((String) n.get("address")).matches("127\\.0\\.0\\.1:\\d+");
        });
    }
}
