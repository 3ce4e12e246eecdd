package dev.scout.cli;

import dev.scout.cli.CliTestSupport.Run;
import dev.scout.app.OutgoingMessage;
import dev.scout.app.ReceivedMessage;
import dev.scout.sqlite.ReceivedQuery;
import dev.scout.sqlite.StateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.scout.cli.CliTestSupport.Z_BASE_32_KEY;
import static dev.scout.cli.CliTestSupport.failedWith;
import static dev.scout.cli.CliTestSupport.jsonLines;
import static dev.scout.cli.CliTestSupport.on;
import static dev.scout.cli.CliTestSupport.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application commands of docs/spec.md §5 ({@code init}, {@code id}, {@code contacts}, {@code sync},
 * {@code send}, {@code inbox}, {@code status}) run in-process, as Alice and Bob with a state directory
 * each, against a loopback network. Checks the exact keys and JSON keys of the contract, the
 * one-line error contract, file permissions, and that everything survives a fresh run.
 */
@Timeout(120)
class AppCommandsTest {
    static final String ALICE_SEED = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    static final String BOB_SEED = "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f";
    static final String ALICE_KEY = "yqooxx9u3aemh8mo5wcqq16yufu6jitouq1o4za751dger1igghy";
    static final String ALICE_HEX = "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8";
    /** docs/spec.md §9: the record shared by the two seeds above. */
    static final String RECORD_PUBLIC_KEY = "024c17c445cbb21a9679fe4d42ef855062182648b5cb0d79f823797a2687912f";
    static final String RECORD_TARGET = "8187911bd9fd8cd6add811c1669370f8fd773788";

    @RegisterExtension
    static final LoopbackNetwork NET = LoopbackNetwork.ipv4(24);

    @TempDir
    Path tmp;

    static Run scout(Path dir, String... args) {
        return NET.run(dir, args);
    }

    static Run ok(Path dir, String... args) {
        return succeeded(scout(dir, args));
    }

    /** Creates the identity of {@code seed} in {@code dir} and returns its public key. */
    static String init(Path dir, String seed) {
        String key = ok(dir, "init", "--seed", seed).out().strip();
        assertThat(key).matches(Z_BASE_32_KEY);
        return key;
    }

    @Test
    void initCreatesOrRestoresTheIdentityAndRefusesToReplaceItSilently() throws IOException {
        Path random = tmp.resolve("random");
        String key = ok(random, "init").out().strip();
        assertThat(key).matches(Z_BASE_32_KEY).isNotEqualTo(ALICE_KEY);
        // init again keeps it; id prints it.
        assertThat(ok(random, "init").out().strip()).isEqualTo(key);
        assertThat(ok(random, "id").out().strip()).isEqualTo(key);
        Map<String, Object> again = ok(random, "--json", "init").json();
        assertThat(again).containsEntry("public_key", key).containsEntry("created", false);

        Path alice = tmp.resolve("alice");
        Run first = ok(alice, "init", "--seed", ALICE_SEED);
        assertThat(first.out()).isEqualTo(ALICE_KEY + System.lineSeparator());
        Map<String, Object> id = ok(alice, "--json", "id").json();
        assertThat(id).containsOnlyKeys("public_key", "public_key_hex")
                .containsEntry("public_key", ALICE_KEY).containsEntry("public_key_hex", ALICE_HEX);
        // Restoring the same seed again is harmless.
        assertThat(ok(alice, "init", "--seed", ALICE_SEED).out().strip()).isEqualTo(ALICE_KEY);

        // Another seed: refused, one line, the identity is unchanged.
        String refused = failedWith(1, scout(alice, "init", "--seed", BOB_SEED));
        assertThat(refused).contains(ALICE_KEY).contains("--force");
        assertThat(ok(alice, "id").out().strip()).isEqualTo(ALICE_KEY);
        failedWith(1, scout(random, "init", "--seed", ALICE_SEED));

        // --force replaces it.
        String bob = ok(alice, "init", "--seed", BOB_SEED, "--force").out().strip();
        assertThat(bob).matches(Z_BASE_32_KEY).isNotEqualTo(ALICE_KEY);
        assertThat(ok(alice, "id").out().strip()).isEqualTo(bob);
        Map<String, Object> forced = ok(alice, "--json", "init", "--seed", ALICE_SEED, "--force").json();
        assertThat(forced).containsEntry("public_key", ALICE_KEY).containsEntry("public_key_hex", ALICE_HEX)
                .containsEntry("created", true);

        assertPrivate(alice);
        assertPrivate(random);
    }

    @Test
    void aliceAndBobFindEachOtherAndExchangeMessages() throws IOException {
        Path alice = tmp.resolve("alice");
        Path bob = tmp.resolve("bob");
        assertThat(init(alice, ALICE_SEED)).isEqualTo(ALICE_KEY);
        String bobKey = init(bob, BOB_SEED);
        String carolKey = init(tmp.resolve("carol"), "40" + BOB_SEED.substring(2));

        // Contacts: add, list (one JSON object per line), show (record key and target), remove.
        assertThat(ok(alice, "contacts", "list").out()).contains("no contacts yet");
        assertThat(ok(alice, "--json", "contacts", "list").out()).isEmpty();
        assertThat(ok(alice, "contacts", "add", "bob", bobKey).out().strip()).isEqualTo("added bob " + bobKey);
        assertThat(ok(alice, "--json", "contacts", "add", "carol", carolKey).json())
                .containsEntry("name", "carol").containsEntry("public_key", carolKey);
        List<Map<String, Object>> listed = jsonLines(ok(alice, "--json", "contacts", "list"));
        assertThat(listed).extracting(m -> m.get("name")).containsExactly("bob", "carol");
        assertThat(listed).extracting(m -> m.get("public_key")).containsExactly(bobKey, carolKey);
        assertThat(ok(alice, "contacts", "list").out().lines()).hasSize(2)
                .anySatisfy(l -> assertThat(l).startsWith("bob ").endsWith(bobKey));
        Map<String, Object> shown = ok(alice, "--json", "contacts", "show", "bob").json();
        assertThat(shown).containsEntry("name", "bob").containsEntry("public_key", bobKey)
                .containsEntry("record_public_key", RECORD_PUBLIC_KEY).containsEntry("record_target", RECORD_TARGET)
                .containsEntry("devices", List.of());
        assertThat(ok(alice, "contacts", "show", "bob").out()).contains(RECORD_PUBLIC_KEY).contains(RECORD_TARGET);
        assertThat(ok(alice, "--json", "contacts", "remove", "carol").json()).containsEntry("name", "carol")
                .containsEntry("removed", true);
        assertThat(jsonLines(ok(alice, "--json", "contacts", "list"))).extracting(m -> m.get("name"))
                .containsExactly("bob");
        assertThat(failedWith(1, scout(alice, "contacts", "show", "carol"))).contains("carol");
        ok(bob, "contacts", "add", "alice", ALICE_KEY);
        // The same record seen from Bob's side.
        assertThat(ok(bob, "--json", "contacts", "show", "alice").json())
                .containsEntry("record_public_key", RECORD_PUBLIC_KEY).containsEntry("record_target", RECORD_TARGET);

        // No daemon yet.
        assertThat(ok(alice, "status").out()).contains("has not run");
        assertThat(ok(alice, "--json", "status").json()).containsEntry("last_poll", null)
                .containsEntry("updated_at", null);

        // Sync both ways: each sees the other's device (by its tag).
        int aliceTag = deviceTag(alice);
        int bobTag = deviceTag(bob);
        Map<String, Object> first = ok(alice, "--json", "sync").json();
        assertThat(first).containsEntry("contact", "bob").containsEntry("devices", List.of());
        assertThat((Long) first.get("stored")).isPositive();
        Map<String, Object> bobSync = ok(bob, "--json", "sync", "alice").json();
        assertThat(devices(bobSync)).singleElement().satisfies(d -> assertThat(d.get("tag")).isEqualTo((long) aliceTag));
        assertThat((Long) bobSync.get("seq")).isGreaterThan((Long) first.get("seq"));
        String human = ok(alice, "sync", "bob").out();
        assertThat(human).startsWith("bob: record seq ").contains("device " + bobTag);
        assertThat(devices(ok(alice, "--json", "contacts", "show", "bob").json())).singleElement()
                .satisfies(d -> assertThat(d.get("tag")).isEqualTo((long) bobTag));

        // Alice sends two messages; Bob reads them, oldest first; a second inbox has nothing new.
        assertThat(ok(alice, "send", "bob", "Hi Bob, first").out()).startsWith("sent to bob (message ");
        Map<String, Object> second = ok(alice, "--json", "send", "bob", "second: ünïcode ✓").json();
        assertThat(second).containsOnlyKeys("contact", "message_id", "stored", "record_seq")
                .containsEntry("contact", "bob");
        assertThat((String) second.get("message_id")).matches("[0-9a-f]{40}");
        assertThat((Long) second.get("stored")).isPositive();
        List<String> read = ok(bob, "inbox").out().lines().toList();
        assertThat(read).hasSize(2);
        assertThat(read.get(0)).matches("\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d] alice: Hi Bob, first");
        assertThat(read.get(1)).endsWith("] alice: second: ünïcode ✓");
        assertThat(ok(bob, "inbox").out().strip()).isEqualTo("no new messages");
        assertThat(ok(bob, "--json", "inbox").out()).isEmpty();

        // A third one, as long as a message can be (the limit the error for a longer one names), read
        // as JSON, with the id send reported.
        int max = textLimit(failedWith(2, scout(alice, "send", "bob", "x".repeat(1000))));
        String longest = "ü".repeat(max / 2) + "x".repeat(max % 2);
        assertThat(failedWith(2, scout(alice, "send", "bob", longest + "xx"))).contains("TEXT is 2 bytes too long");
        String third = (String) ok(alice, "--json", "send", "bob", longest).json().get("message_id");
        Map<String, Object> got = ok(bob, "--json", "inbox", "alice").json();
        assertThat(got).containsOnlyKeys("contact", "device", "message_id", "text", "sent_at")
                .containsEntry("contact", "alice").containsEntry("device", (long) aliceTag)
                .containsEntry("message_id", third).containsEntry("text", longest);
        Instant sentAt = Instant.parse((String) got.get("sent_at"));
        assertThat(Duration.between(sentAt, Instant.now())).isBetween(Duration.ZERO, Duration.ofMinutes(5));
        assertThat(ok(bob, "inbox", "alice").out().strip()).isEqualTo("no new messages");

        // Replies the other way.
        ok(bob, "send", "alice", "Hi Alice");
        ok(bob, "send", "alice", "and again");
        List<Map<String, Object>> replies = jsonLines(ok(alice, "--json", "inbox"));
        assertThat(replies).extracting(m -> m.get("text")).containsExactly("Hi Alice", "and again");
        assertThat(replies).allSatisfy(m -> assertThat(m).containsEntry("contact", "bob")
                .containsEntry("device", (long) bobTag));
        assertThat(ok(alice, "inbox").out().strip()).isEqualTo("no new messages");

        // Alice's inbox synchronized: she has seen Bob's read marks, nothing is left to re-store.
        try (StateStore store = StateStore.open(alice)) {
            assertThat(store.outgoing("bob")).hasSize(3).allMatch(OutgoingMessage::delivered);
            assertThat(store.outgoing("bob").get(0).id().toHex()).isEqualTo(third);
        }

        // Fresh runs on the same directories see everything that was recorded.
        assertThat(jsonLines(ok(alice, "--json", "contacts", "list"))).extracting(m -> m.get("public_key"))
                .containsExactly(bobKey);
        assertThat(ok(alice, "--json", "id").json()).containsEntry("public_key", ALICE_KEY);
        assertThat(ok(bob, "inbox").out().strip()).isEqualTo("no new messages");
        assertThat(ok(alice, "inbox").out().strip()).isEqualTo("no new messages");
        try (StateStore store = StateStore.open(bob)) {
            assertThat(store.received(ReceivedQuery.all().contact("alice"))).extracting(ReceivedMessage::text)
                    .containsExactly("Hi Bob, first", "second: ünïcode ✓", longest);
        }
        assertThat(ok(alice, "status").out()).contains("has not run");

        assertPrivate(alice);
        assertPrivate(bob);
    }

    @Test
    void badInputGivesOneLineAndANonZeroExit() {
        Path alice = tmp.resolve("alice");
        init(alice, ALICE_SEED);
        String bobKey = init(tmp.resolve("bob"), BOB_SEED);
        ok(alice, "contacts", "add", "bob", bobKey);

        // Malformed keys are usage errors.
        assertThat(failedWith(2, scout(alice, "contacts", "add", "x", bobKey.substring(1)))).contains("52");
        assertThat(failedWith(2, scout(alice, "contacts", "add", "x", bobKey.substring(0, 51) + "0")))
                .contains("alphabet");
        failedWith(2, scout(alice, "contacts", "add", "x", ALICE_HEX.substring(2) + "zz"));
        // Own key (either spelling), a key already known, a name already taken, a bad name.
        assertThat(failedWith(1, scout(alice, "contacts", "add", "me", ALICE_KEY))).contains("your own public key");
        failedWith(1, scout(alice, "contacts", "add", "me", ALICE_HEX));
        assertThat(failedWith(1, scout(alice, "contacts", "add", "bob2", bobKey))).contains("bob");
        String otherKey = init(tmp.resolve("other"), "41" + BOB_SEED.substring(2));
        assertThat(failedWith(1, scout(alice, "contacts", "add", "bob", otherKey))).contains("bob");
        failedWith(1, scout(alice, "contacts", "add", "bad name!", otherKey));

        // Unknown contacts.
        for (String[] args : List.of(new String[] {"contacts", "show", "carol"}, new String[] {"contacts", "remove", "carol"},
                new String[] {"send", "carol", "hi"}, new String[] {"inbox", "carol"}, new String[] {"sync", "carol"})) {
            assertThat(failedWith(1, scout(alice, args))).as(String.join(" ", args)).contains("unknown contact carol");
        }

        // Oversize text: a usage error that says by how much, in bytes of UTF-8 (the limit is ~900 bytes).
        int max = textLimit(failedWith(2, scout(alice, "send", "bob", "x".repeat(1000))));
        assertThat(max).isBetween(880, 933);
        assertThat(failedWith(2, scout(alice, "send", "bob", "x".repeat(1000))))
                .startsWith("scout: TEXT is " + (1000 - max) + " bytes too long");
        assertThat(failedWith(2, scout(alice, "send", "bob", "é".repeat(500))))
                .startsWith("scout: TEXT is " + (1000 - max) + " bytes too long");
        assertThat(failedWith(2, scout(alice, "send", "bob", "y".repeat(max + 1))))
                .startsWith("scout: TEXT is 1 byte too long");

        // Usage errors.
        failedWith(2, scout(alice, "bogus"));
        failedWith(2, scout(alice));
        failedWith(2, scout(alice, "send", "bob"));
        failedWith(2, scout(alice, "contacts"));
        failedWith(2, scout(alice, "init", "--seed", "00"));
        failedWith(2, scout(alice, "--port", "70000", "sync"));
        failedWith(2, CliTestSupport.run("--state-dir", alice.toString(), "--bootstrap", "nonsense", "sync"));

        // Nothing of that left a trace.
        try (StateStore store = StateStore.open(alice)) {
            assertThat(store.contacts()).extracting(c -> c.name()).containsExactly("bob");
            assertThat(store.outgoing("bob")).isEmpty();
        }
    }

    @Test
    void withoutAnIdentityCommandsSayToRunInit() {
        Path empty = tmp.resolve("empty");
        for (String[] args : List.of(new String[] {"id"}, new String[] {"sync"}, new String[] {"send", "bob", "hi"},
                new String[] {"inbox"}, new String[] {"contacts", "add", "bob", ALICE_KEY},
                new String[] {"contacts", "show", "bob"})) {
            assertThat(failedWith(1, scout(empty, args))).as(String.join(" ", args))
                    .contains("no identity").contains("scout init");
        }
    }

    @Test
    void withoutANetworkSyncAndSendFailInOneLine() throws Exception {
        Path alice = tmp.resolve("alice");
        init(alice, ALICE_SEED);
        ok(alice, "contacts", "add", "bob", init(tmp.resolve("bob"), BOB_SEED));
        int closed;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
            closed = s.getLocalPort();
        }
        String nowhere = "127.0.0.1:" + closed;
        // Both wait for the same bootstrap timeout: run them side by side.
        CompletableFuture<Run> sync = CompletableFuture.supplyAsync(
                () -> CliTestSupport.run(on(alice, nowhere, "sync")));
        CompletableFuture<Run> send = CompletableFuture.supplyAsync(
                () -> CliTestSupport.run(on(alice, nowhere, "send", "bob", "into the void")));
        CompletableFuture<Run> unknown = CompletableFuture.supplyAsync(
                () -> CliTestSupport.run(on(alice, nowhere, "send", "carol", "hi")));
        assertThat(failedWith(1, sync.get())).contains("could not reach the DHT").contains(nowhere);
        assertThat(failedWith(1, send.get())).contains("could not reach the DHT");
        // A mistake in the command is reported as such, network or not.
        assertThat(failedWith(1, unknown.get())).contains("unknown contact carol");
        try (StateStore store = StateStore.open(alice)) {
            assertThat(store.outgoing("bob")).isEmpty();
        }
    }

    /** The limit an oversize-text error names: "... (at most N bytes of UTF-8 text) ...". */
    static int textLimit(String error) {
        Matcher m = Pattern.compile("\\(at most (\\d+) bytes of UTF-8 text\\)").matcher(error);
        assertThat(m.find()).as(error).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> devices(Map<String, Object> json) {
        return (List<Map<String, Object>>) json.get("devices");
    }

    static int deviceTag(Path dir) {
        try (StateStore store = StateStore.open(dir)) {
            return store.deviceTag();
        }
    }

    static void assertPrivate(Path dir) throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).as(dir.toString())
                .isEqualTo("rwx------");
        for (String file : List.of(StateStore.IDENTITY_FILE, StateStore.DATABASE_FILE)) {
            Path p = dir.resolve(file);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).as(p.toString())
                    .isEqualTo("rw-------");
        }
    }
}
