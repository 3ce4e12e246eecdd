package dev.scout.cli.demo;

import dev.scout.cli.common.AppContext;
import dev.scout.cli.common.BaseCommand;
import dev.scout.cli.common.CliException;
import dev.scout.cli.common.ErrorHandler;
import dev.scout.cli.common.Version;

import dev.scout.app.ScoutApp;
import dev.scout.app.Contact;
import dev.scout.app.ReceivedMessage;
import dev.scout.sqlite.StateStore;
import dev.scout.dht.Addresses;
import dev.scout.dht.DhtConfig;
import dev.scout.dht.udp.DualStackNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code scout demo}: the whole story on an in-process loopback network — two people, Alice and Bob,
 * each with their own state, find each other by public key, exchange messages, and Bob reads what
 * Alice sent while he was offline. Uses exactly the code paths of {@code sync}, {@code send} and
 * {@code inbox}; needs no network beyond 127.0.0.1 and leaves nothing behind.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Run the whole Scout story on an in-process loopback DHT (127.0.0.1 only), then exit.")
public final class DemoCommand extends BaseCommand {
    @Option(names = "--nodes", paramLabel = "N", defaultValue = "64", description = "DHT nodes to start (default ${DEFAULT-VALUE}).")
    public int nodes;

    private PrintWriter out;
    private long start;

    @Override
    public Integer call() throws Exception {
        if (nodes < 8 || nodes > 2_000) {
            throw new ParameterException(cl(), "--nodes must be 8..2000, got " + nodes);
        }
        out = out();
        start = System.nanoTime();
        Path dir = Files.createTempDirectory("scout-demo-");
        say("Scout demo: two people reach each other by public key over a Mainline DHT, no server.");
        try (Testnet net = Testnet.start(nodes, 0, 120_000)) {
            step("started a " + nodes + "-node DHT on 127.0.0.1 (entry " + Addresses.format(net.entry()) + ")");
            try (Person alice = new Person("alice", dir.resolve("alice"), net.entry());
                 Person bob = new Person("bob", dir.resolve("bob"), net.entry())) {
                step("Alice is " + alice.key() + "  (state in " + alice.store.directory() + ")");
                step("Bob   is " + bob.key() + "  (state in " + bob.store.directory() + ")");
                Contact bobAtAlice = alice.store.addContact("bob", bob.store.requireIdentity().publicKey());
                Contact aliceAtBob = bob.store.addContact("alice", alice.store.requireIdentity().publicKey());
                step("they swap public keys (only that) and add each other as contacts");

                ScoutApp.SyncReport a = alice.app().sync(bobAtAlice);
                step("Alice publishes her device in their shared, encrypted record: seq " + a.seq() + ", stored on "
                        + a.stored() + " DHT nodes");
                ScoutApp.SyncReport b = bob.app().sync(aliceAtBob);
                step("Bob finds the record and Alice's device: " + describe(b));

                alice.app().send(bobAtAlice, "Hi Bob! Found you by your key alone.");
                step("Alice sends a sealed message; it is stored in the DHT as an immutable item");
                read(bob, aliceAtBob, 1);
                bob.app().send(aliceAtBob, "Hi Alice, loud and clear.");
                read(alice, bobAtAlice, 1);

                bob.goOffline();
                step("Bob goes offline (his node stops)");
                alice.app().send(bobAtAlice, "Are you there? Leaving this for later.");
                alice.app().send(bobAtAlice, "Second note while you were away.");
                int refreshed = alice.app().republish();
                step("Alice sends two more messages and re-stores " + refreshed
                        + " items (her daemon does this hourly; DHT data expires after ~2 h)");

                bob.goOnline(net.entry());
                step("Bob comes back: a new node, rejoining through the routing table saved in his state");
                read(bob, aliceAtBob, 2);
                alice.app().sync(bobAtAlice);
                int undelivered = alice.store.undelivered("bob").size();
                step("Alice syncs and sees Bob's read marks: " + (undelivered == 0
                        ? "all her messages are delivered, she stops re-storing them"
                        : undelivered + " message(s) not yet read"));
                if (undelivered != 0) {
                    throw new CliException("demo failed: Bob's read marks did not reach Alice");
                }
                DemoSession.run(alice.store.requireIdentity(), alice.node, bob.store.requireIdentity(), bob.node,
                        alice.app().storedDevices(bobAtAlice), "Bob, this line came straight from my laptop.", this::step);
            }
        } finally {
            deleteTree(dir);
        }
        say(String.format("done in %.1f s", (System.nanoTime() - start) / 1e9));
        return 0;
    }

    private void read(Person who, Contact from, int expected) {
        ScoutApp.InboxReport r = who.app().inbox(from);
        if (r.received().size() != expected) {
            throw new CliException("demo failed: " + who.name + " expected " + expected + " new message(s), got "
                    + r.received().size() + " " + r.problems());
        }
        for (ReceivedMessage m : r.received()) {
            step(capital(who.name) + " reads from " + capital(m.contact()) + ": \"" + m.text() + "\"");
        }
    }

    private static String describe(ScoutApp.SyncReport r) {
        return r.devices().stream().map(d -> "device " + d.tag() + " at "
                + (d.addresses().isEmpty() ? "?" : Addresses.format(d.addresses().get(0)))).findFirst().orElse("none");
    }

    private static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private void step(String text) {
        out.printf("[%6.2f s] %s%n", (System.nanoTime() - start) / 1e9, text);
        out.flush();
    }

    private void say(String text) {
        out.println(text);
        out.flush();
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory; best effort
        }
    }

    /** One person: a state directory, a DHT node of their own, and the app on top. */
    private static final class Person implements AutoCloseable {
        final String name;
        final StateStore store;
        DualStackNode node;
        ScoutApp app;

        Person(String name, Path dir, InetSocketAddress entry) {
            this.name = name;
            this.store = StateStore.open(dir);
            store.initIdentity(null, false);
            store.setDeviceName(name + "-laptop");
            goOnline(entry);
        }

        String key() {
            return store.requireIdentity().publicKey().toZBase32();
        }

        ScoutApp app() {
            return app;
        }

        void goOnline(InetSocketAddress entry) {
            try {
                node = DualStackNode.start(DhtConfig.builder().bindAddress(new InetSocketAddress("127.0.0.1", 0))
                        .bootstrap(List.of(Addresses.format(entry))).stateStore(store.routingTableStore())
                        .requestTimeoutMillis(Testnet.REQUEST_TIMEOUT_MILLIS).build(), null);
                node.bootstrapped().get(30, TimeUnit.SECONDS);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (Exception e) {
                throw new CliException(name + " could not join the demo network: " + ErrorHandler.message(e), e);
            }
            DualStackNode current = node;
            app = new ScoutApp(store, current, () -> AppContext.reachableAddresses(current));
        }

        void goOffline() {
            node.close();
        }

        @Override
        public void close() {
            try {
                node.close();
            } finally {
                store.close();
            }
        }
    }
}
