package dev.scout.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/spec.md §10 on a real Linux network: an IPv6-only host (a network namespace whose only
 * non-loopback address is fd00:64:32::2, with no IPv4 route) uses a dual-stack "public" DHT (another
 * namespace, 10.64.32.1 and fd00:64:32::1, joined by a veth pair). The host bootstraps through a router
 * name with an A and an AAAA record, pings, stores and reads items, runs the Scout story with a
 * dual-stack contact, publishes its IPv6 address, and says "no IPv4 route" — not "no answer" — when
 * asked to reach an IPv4 node.
 *
 * <p>Needs root and {@code ip netns} (CI runs as root). Without them the test fails: it is never
 * skipped. The namespaces ({@code scoutv6-*}) and everything in them are removed afterwards.
 */
@Timeout(300)
class Ipv6NamespaceTest {
    static final String PUBLIC_V4 = "10.64.32.1";
    static final String PUBLIC_V6 = "fd00:64:32::1";
    static final String HOST_V6 = "fd00:64:32::2";
    static final String ROUTER = "router.scoutv6.test";
    static final int NODES = 8;

    static String suffix;
    static String publicNs;
    static String hostNs;
    static int base;
    static Path work;
    static Path hostsFile;
    static Process publicDht;

    @TempDir
    Path tmp;

    @BeforeAll
    static void buildNetwork() throws Exception {
        suffix = HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
        publicNs = "scoutv6-pub-" + suffix;
        hostNs = "scoutv6-host-" + suffix;
        base = 49_000 + new SecureRandom().nextInt(900);
        work = Files.createTempDirectory("scoutv6-");
        hostsFile = work.resolve("hosts");
        // The router name has both records, like the public routers (dual-stack bootstrap by name).
        Files.writeString(hostsFile, PUBLIC_V4 + " " + ROUTER + "\n" + PUBLIC_V6 + " " + ROUTER + "\n");
        String vethPub = "sv6p" + suffix;
        String vethHost = "sv6h" + suffix;
        ip("netns", "add", publicNs);
        ip("netns", "add", hostNs);
        ip("link", "add", vethPub, "type", "veth", "peer", "name", vethHost);
        ip("link", "set", vethPub, "netns", publicNs);
        ip("link", "set", vethHost, "netns", hostNs);
        ip("-n", publicNs, "link", "set", "lo", "up");
        ip("-n", hostNs, "link", "set", "lo", "up");
        ip("-n", publicNs, "addr", "add", PUBLIC_V4 + "/24", "dev", vethPub);
        ip("-n", publicNs, "-6", "addr", "add", PUBLIC_V6 + "/64", "dev", vethPub, "nodad");
        ip("-n", hostNs, "-6", "addr", "add", HOST_V6 + "/64", "dev", vethHost, "nodad");
        ip("-n", publicNs, "link", "set", vethPub, "up");
        ip("-n", hostNs, "link", "set", vethHost, "up");

        publicDht = new ProcessBuilder(javaIn(publicNs, "dev.scout.cli.NamespacePublicDht",
                PUBLIC_V4, PUBLIC_V6, Integer.toString(base), Integer.toString(NODES)))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(publicDht.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("the public DHT in %s started", publicNs).isEqualTo("ready");
    }

    @AfterAll
    static void removeNetwork() throws Exception {
        try {
            if (publicDht != null) {
                publicDht.getOutputStream().close();
                if (!publicDht.waitFor(20, TimeUnit.SECONDS)) {
                    publicDht.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } finally {
            // Deleting a namespace deletes its end of the veth pair, and with it the other end.
            for (String ns : new String[] {publicNs, hostNs}) {
                if (ns != null) {
                    run(List.of("ip", "netns", "del", ns), 30);
                }
            }
            if (work != null) {
                Files.deleteIfExists(hostsFile);
                Files.deleteIfExists(work);
            }
        }
    }

    static void ip(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Result r = run(cmd, 30);
        assertThat(r.exit()).as("`%s` needs root and ip netns (fails rather than skips): %s", String.join(" ", cmd), r.err())
                .isZero();
    }

    /** {@code ip netns exec NS java -cp <this test's classpath> MAIN ARGS…} */
    static List<String> javaIn(String ns, String main, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djdk.net.hosts.file=" + hostsFile, "-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(List.of(args));
        return cmd;
    }

    record Result(int exit, String out, String err) {
        Map<String, Object> json() {
            return CliTestSupport.object(out.strip());
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- out ---\n" + out + "--- err ---\n" + err;
        }
    }

    static Result run(List<String> cmd, long timeoutSeconds) throws Exception {
        Path out = Files.createTempFile("scoutv6-out-", ".txt");
        Path err = Files.createTempFile("scoutv6-err-", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(cmd + " did not finish in " + timeoutSeconds + " s: " + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The scout command inside {@code ns}, bootstrapping through the router name. */
    static Result scout(String ns, Path stateDir, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--state-dir", stateDir.toString(), "--bootstrap", ROUTER + ":" + base));
        all.addAll(List.of(args));
        return run(javaIn(ns, "dev.scout.cli.ScoutCommand", all.toArray(String[]::new)), 120);
    }

    static Result ok(String ns, Path stateDir, String... args) throws Exception {
        Result r = scout(ns, stateDir, args);
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    @Test
    void theIpv6OnlyHostReachesTheDhtAndSaysWhyItCannotReachIpv4() throws Exception {
        Path dir = tmp.resolve("v6host");
        Result ping = ok(hostNs, dir, "dht", "ping", "[" + PUBLIC_V6 + "]:" + base);
        assertThat(ping.out().strip()).matches("[0-9a-f]{40}");

        Result noRoute = scout(hostNs, dir, "dht", "ping", PUBLIC_V4 + ":" + base);
        assertThat(noRoute.exit()).as(noRoute.toString()).isEqualTo(1);
        assertThat(noRoute.err().strip()).as(noRoute.toString())
                .startsWith("scout: no IPv4 route to " + PUBLIC_V4 + ":" + base + " (");

        // Items: stored from the IPv6-only host, read by a dual-stack host (which merges both families).
        Map<String, Object> put = ok(hostNs, dir, "--json", "dht", "put", "from an IPv6-only host").json();
        assertThat((Long) put.get("stored")).isPositive();
        Result got = ok(publicNs, tmp.resolve("dual"), "dht", "get", (String) put.get("target"));
        assertThat(got.out().strip()).isEqualTo("from an IPv6-only host");
    }

    @Test
    void theScoutStoryRunsBetweenAnIpv6OnlyHostAndADualStackOne() throws Exception {
        Path alice = tmp.resolve("alice");
        Path bob = tmp.resolve("bob");
        String aliceKey = ok(hostNs, alice, "init", "--seed", AppCommandsTest.ALICE_SEED).out().strip();
        String bobKey = ok(publicNs, bob, "init", "--seed", AppCommandsTest.BOB_SEED).out().strip();
        ok(hostNs, alice, "contacts", "add", "bob", bobKey);
        ok(publicNs, bob, "contacts", "add", "alice", aliceKey);

        ok(hostNs, alice, "sync");
        Map<String, Object> bobSync = ok(publicNs, bob, "--json", "sync", "alice").json();
        // Alice's device entry is there, without addresses: a one-shot command never publishes its own
        // port, and she has run no daemon (Ipv6DaemonStatusTest covers a daemon's IPv6 addresses).
        assertThat(AppCommandsTest.devices(bobSync)).singleElement().satisfies(d ->
                assertThat((List<?>) d.get("addresses")).isEmpty());
        ok(hostNs, alice, "sync", "bob");

        assertThat(ok(hostNs, alice, "send", "bob", "hello from IPv6 only").out()).startsWith("sent to bob");
        assertThat(ok(publicNs, bob, "inbox").out().strip()).endsWith("] alice: hello from IPv6 only");
    }
}
