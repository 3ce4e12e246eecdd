package dev.scout.cli;

import dev.scout.cli.demo.Testnet;

import dev.scout.dht.Addresses;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.scout.cli.CliTestSupport.on;
import static dev.scout.cli.CliTestSupport.succeeded;

/**
 * Alice's and Bob's daemons on a loopback testnet, each with the other as contact, shared by the API
 * test classes of one test JVM (started on first use, stopped at exit). Tests that stop a daemon make
 * their own.
 */
final class LiveDaemons {
    private static LiveDaemons instance;

    final Testnet net;
    final String entry;
    final Path aliceDir;
    final Path bobDir;
    final String aliceKey;
    final String bobKey;
    final DaemonHarness alice;
    final DaemonHarness bob;

    private LiveDaemons() throws Exception {
        net = Testnet.start(16, 0, 60_000);
        entry = Addresses.format(net.entry());
        Path root = Files.createTempDirectory("scout-api-test");
        aliceDir = root.resolve("alice");
        bobDir = root.resolve("bob");
        String[] keys = CliTestSupport.pair(entry, aliceDir, bobDir);
        aliceKey = keys[0];
        bobKey = keys[1];
        alice = DaemonHarness.start(aliceDir, entry);
        bob = DaemonHarness.start(bobDir, entry);
    }

    static synchronized LiveDaemons get() throws Exception {
        if (instance == null) {
            instance = new LiveDaemons();
            LiveDaemons d = instance;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    d.alice.stop();
                    d.bob.stop();
                } catch (Exception e) {
                    // exiting anyway
                }
                d.net.close();
            }));
        }
        return instance;
    }

    /**
     * A daemon of its own in {@code root}/{@code name}, with Bob as contact and in Bob's contacts under
     * {@code name}, so its events and messages are one test's alone.
     */
    DaemonHarness own(Path root, String name) throws Exception {
        Path dir = root.resolve(name);
        String key = succeeded(CliTestSupport.run(on(dir, entry, "init"))).out().strip();
        succeeded(CliTestSupport.run(on(dir, entry, "contacts", "add", "bob", bobKey)));
        bob.expect(201, "POST", "/v1/contacts", "{\"name\": \"" + name + "\", \"public_key\": \"" + key + "\"}");
        return DaemonHarness.start(dir, entry);
    }

    /** {@code scout} for Alice's state directory through a bootstrap address nobody answers at: only a
     *  command that goes through the daemon can succeed. */
    CliTestSupport.Run aliceCli(String... args) {
        return CliTestSupport.run(on(aliceDir, "127.0.0.1:9", args));
    }

    CliTestSupport.Run bobCli(String... args) {
        return CliTestSupport.run(on(bobDir, "127.0.0.1:9", args));
    }
}
