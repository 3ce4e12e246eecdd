package dev.scout.node;

import dev.scout.testkit.Await;

import dev.scout.app.Contact;
import dev.scout.app.ReceivedMessage;
import dev.scout.dht.ScoutException;
import dev.scout.dht.udp.LoopbackTestnet;
import dev.scout.node.push.PokeWire;
import dev.scout.session.Session;
import dev.scout.session.SessionStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.scout.session.NatType;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Optional;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Two ScoutNodes on a loopback testnet: contacts, messages, events and sessions through the node's verbs. */
@Timeout(180)
class ScoutNodeTest {
    static LoopbackTestnet testnet;

    @BeforeAll
    static void start() {
        testnet = LoopbackTestnet.start(16);
    }

    @AfterAll
    static void stop() {
        testnet.close();
    }

    private static ScoutNode node() {
        return ScoutNode.builder().testnet(testnet).pollInterval(Duration.ofSeconds(1)).start();
    }

    @Test
    void aMessageReachesTheContactsListenersThroughItsOwnPoll() throws Exception {
        try (ScoutNode alice = node(); ScoutNode bob = node()) {
            Contact bobForAlice = alice.contacts().add("bob", bob.publicKey());
            bob.contacts().add("alice", alice.publicKey());
            LinkedBlockingQueue<ReceivedMessage> heard = new LinkedBlockingQueue<>();
            List<NodeEvent> events = new CopyOnWriteArrayList<>();
            bob.onMessage(heard::add);
            bob.onEvent(events::add);
            alice.send(bobForAlice, "hello").get(60, TimeUnit.SECONDS);
            ReceivedMessage m = heard.poll(60, TimeUnit.SECONDS); // no inbox() call: bob's poll loop finds it
            assertThat(m).isNotNull();
            assertThat(m.contact()).isEqualTo("alice");
            assertThat(m.text()).isEqualTo("hello");
            // The poll announces the message first and its summary after: wait for the summary.
            Await.await(() -> events.stream().anyMatch(e -> e instanceof NodeEvent.Polled p && p.contacts() == 1),
                    "a poll summary counting one contact");
            // (No check of the start-up Republished event: it may come before this listener was added.)
            assertThat(bob.status().contacts()).isEqualTo(1);
        }
    }

    @Test
    void contactsRefuseOwnKeyAndDuplicates() {
        try (ScoutNode alice = node(); ScoutNode bob = node()) {
            assertThatThrownBy(() -> alice.contacts().add("me", alice.publicKey())).isInstanceOf(ScoutException.class)
                    .hasMessageContaining("own");
            alice.contacts().add("bob", bob.publicKey());
            assertThatThrownBy(() -> alice.contacts().add("BOB", bob.publicKey())).isInstanceOf(ScoutException.class);
            assertThatThrownBy(() -> alice.contacts().add("bad name!", bob.publicKey())).isInstanceOf(ScoutException.class);
            assertThat(alice.contacts().find(bob.publicKey())).map(Contact::name).contains("bob");
            alice.contacts().remove("bob");
            assertThat(alice.contacts().list()).isEmpty();
            assertThatThrownBy(() -> alice.contacts().remove("bob")).isInstanceOf(ScoutException.class);
        }
    }

    @Test
    void removingAContactEndsItsSessionsAndForgetsItsPath() throws Exception {
        try (ScoutNode alice = node(); ScoutNode bob = node()) {
            Contact bobForAlice = alice.contacts().add("bob", bob.publicKey());
            Contact aliceForBob = bob.contacts().add("alice", alice.publicKey());
            CompletableFuture<ContactSession> incoming = new CompletableFuture<>();
            bob.onSession(incoming::complete);
            bob.sync(aliceForBob).get(60, TimeUnit.SECONDS);
            alice.sync(bobForAlice).get(60, TimeUnit.SECONDS);
            ContactSession ours = alice.open(bobForAlice).get(60, TimeUnit.SECONDS);
            ContactSession theirs = incoming.get(30, TimeUnit.SECONDS);
            assertThat(theirs.contact()).isEqualTo("alice");
            assertThat(alice.sessions()).extracting(ContactSession::id).contains(ours.id());
            long deadline = System.currentTimeMillis() + 30_000;
            while (alice.livePath(bob.publicKey()).isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(alice.livePath(bob.publicKey())).as("kept-open path before the removal").isPresent();

            alice.contacts().remove("bob");

            assertThat(alice.sessions()).as("alice's sessions with bob").isEmpty();
            assertThat(alice.livePath(bob.publicKey())).as("kept-open path after the removal").isEmpty();
            ours.session().closed().handle((v, e) -> null).get(20, TimeUnit.SECONDS);
            theirs.session().closed().handle((v, e) -> null).get(20, TimeUnit.SECONDS);
            // Bob's next attempt is refused: alice no longer accepts his key.
            assertThatThrownBy(() -> bob.connect(aliceForBob).join()).isInstanceOf(CompletionException.class);
        }
    }

    @Test
    void aSessionCarriesAStreamToTheContactsListener() throws Exception {
        try (ScoutNode alice = node(); ScoutNode bob = node()) {
            Contact bobForAlice = alice.contacts().add("bob", bob.publicKey());
            Contact aliceForBob = bob.contacts().add("alice", alice.publicKey());
            CompletableFuture<byte[]> read = new CompletableFuture<>();
            bob.onSession(s -> s.session().acceptStream().thenAcceptAsync(st -> {
                try {
                    read.complete(st.input().readAllBytes());
                } catch (java.io.IOException e) {
                    read.completeExceptionally(e);
                }
            }));
            bob.sync(aliceForBob).get(60, TimeUnit.SECONDS);
            assertThat(alice.sync(bobForAlice).get(60, TimeUnit.SECONDS).devices()).hasSize(1);
            Session s = alice.connect(bobForAlice).get(60, TimeUnit.SECONDS);
            byte[] data = new byte[300_000];
            new java.util.Random(7).nextBytes(data);
            SessionStream stream = s.openStream();
            try (OutputStream out = stream.output()) {
                out.write(data);
            }
            assertThat(read.get(60, TimeUnit.SECONDS)).isEqualTo(data);
            s.close();
        }
    }

    /**
     * Relay first, then direct, through the node's verbs (docs/sessions.md): Carol relays, Alice and Bob
     * act as if behind cone NATs and are reachable through Carol. Alice's session to Bob is made through
     * Bob's relay (no record read for intents, no connect intent), then moves to the direct path and says
     * so ({@code via} relay → direct, a {@link NodeEvent.SessionPathChanged} on both sides); killing the
     * relay then ends nothing: a transfer after it arrives intact.
     */
    @Test
    void aSessionStartsThroughTheContactsRelayMovesDirectAndOutlivesTheRelay() throws Exception {
        ScoutNode carol = ScoutNode.builder().testnet(testnet).relay(new RelayOptions(RelayOptions.Serve.ALWAYS, Optional.empty(), false)).start();
        RelayOptions viaCarol = new RelayOptions(RelayOptions.Serve.NEVER, Optional.of(carol.dht().localAddress()), false);
        try (ScoutNode alice = homeNode(viaCarol); ScoutNode bob = homeNode(viaCarol)) {
            Contact bobForAlice = alice.contacts().add("bob", bob.publicKey());
            Contact aliceForBob = bob.contacts().add("alice", alice.publicKey());
            Await.await(() -> bob.status().relay().registered() && bob.status().relay().publishedTo() == 1,
                    "bob registered at carol and published the relay entry to alice");
            alice.sync(bobForAlice).get(60, TimeUnit.SECONDS); // what alice's message poll does anyway
            List<NodeEvent> aliceEvents = new CopyOnWriteArrayList<>();
            List<NodeEvent> bobEvents = new CopyOnWriteArrayList<>();
            alice.onEvent(aliceEvents::add);
            bob.onEvent(bobEvents::add);
            CompletableFuture<ContactSession> incoming = new CompletableFuture<>();
            bob.onSession(incoming::complete);

            ContactSession ours = alice.open(bobForAlice).get(30, TimeUnit.SECONDS);
            ContactSession theirs = incoming.get(10, TimeUnit.SECONDS);
            assertThat(ours.connectMillis()).as("through the relay at once, no connect intent (3.5 s)").isLessThan(3_000);
            assertThat(carol.status().relay().stats().orElseThrow().forwardedBytes()).as("the handshake went through carol")
                    .isPositive();
            try {
                Await.await(() -> movedDirect(aliceEvents, ours) && movedDirect(bobEvents, theirs),
                        "both sides announced via relay -> direct");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; alice heard " + pathEvents(aliceEvents) + ", bob heard "
                        + pathEvents(bobEvents) + "; ours " + ours.id() + " via " + ours.via() + ", theirs " + theirs.id()
                        + " via " + theirs.via(), e);
            }
            assertThat(ours.via()).isEqualTo(ContactSession.VIA_DIRECT);
            assertThat(ours.relay()).isEmpty();
            assertThat(theirs.via()).isEqualTo(ContactSession.VIA_DIRECT);
            assertThat(ours.session().remoteAddress()).isEqualTo(bob.dht().localAddress());

            carol.close(); // the relay dies; the session runs direct and must not notice
            byte[] data = new byte[1 << 20];
            new java.util.Random(5).nextBytes(data);
            CompletableFuture<byte[]> read = theirs.session().acceptStream().thenApplyAsync(st -> {
                try {
                    return st.input().readAllBytes();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            SessionStream stream = ours.session().openStream();
            try (OutputStream out = stream.output()) {
                out.write(data);
            }
            assertThat(MessageDigest.getInstance("SHA-256").digest(read.get(30, TimeUnit.SECONDS)))
                    .isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
            assertThat(ours.ended()).isFalse();
            ours.session().close();
        } finally {
            carol.close();
        }
    }

    private static ScoutNode homeNode(RelayOptions relay) {
        return ScoutNode.builder().testnet(testnet).pollInterval(Duration.ofSeconds(1)).assumeNat(NatType.CONE).relay(relay)
                .start();
    }

    private static List<String> pathEvents(List<NodeEvent> events) {
        return events.stream().filter(e -> e instanceof NodeEvent.SessionPathChanged).map(e -> (NodeEvent.SessionPathChanged) e)
                .map(p -> p.session().id() + " " + p.session().via() + " " + p.remote()).toList();
    }

    private static boolean movedDirect(List<NodeEvent> events, ContactSession s) {
        return events.stream().anyMatch(e -> e instanceof NodeEvent.SessionPathChanged p && p.session().id().equals(s.id())
                && p.session().via().equals(ContactSession.VIA_DIRECT));
    }

    // ---- push wake-ups (issue 20)

    @Test
    void aMessageReachesTheRunningContactWithinTwoSecondsOfBeingStored() throws Exception {
        try (ScoutNode alice = ScoutNode.builder().testnet(testnet).start();
             // alice in bob's store from the start: after his start-up sweep his next poll of her is 15 min away
             ScoutNode bob = ScoutNode.builder().store(storeWith("alice", alice.publicKey())).testnet(testnet).start()) {
            Contact bobForAlice = alice.contacts().add("bob", bob.publicKey());
            Contact aliceForBob = bob.contacts().get("alice");
            // Each side's device entry in the record, and alice has read bob's: where her poke goes.
            bob.sync(aliceForBob).get(60, TimeUnit.SECONDS);
            assertThat(alice.sync(bobForAlice).get(60, TimeUnit.SECONDS).devices()).isNotEmpty();
            LinkedBlockingQueue<ReceivedMessage> heard = new LinkedBlockingQueue<>();
            bob.onMessage(heard::add);
            for (String text : new String[] {"first", "second"}) {
                alice.send(bobForAlice, text).get(60, TimeUnit.SECONDS);
                long stored = System.nanoTime();
                ReceivedMessage m = heard.poll(2, TimeUnit.SECONDS); // bob polls every 15 min: only a poke brings it
                long millis = (System.nanoTime() - stored) / 1_000_000;
                assertThat(m).as("%s heard within 2 s of being stored (waited %d ms)", text, millis).isNotNull();
                assertThat(m.text()).isEqualTo(text);
                assertThat(m.contact()).isEqualTo("alice");
            }
            assertThat(bob.push().counts()[0]).as("pokes taken").isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aStrangersForgedStaleOrReplayedPokeCausesNoLookupAndNoAnswer() throws Exception {
        java.util.concurrent.atomic.AtomicInteger gets = new java.util.concurrent.atomic.AtomicInteger();
        try (ScoutNode alice = ScoutNode.builder().testnet(testnet).start();
             // alice is in bob's store from the start: his start-up sweep covers her, and his next own poll
             // and republish of her are 15 min and 1 h away, so every record read below is a wake-up's
             ScoutNode bob = ScoutNode.builder().store(storeWith("alice", alice.publicKey())).testnet(testnet).start();
             java.nio.channels.DatagramChannel stranger = java.nio.channels.DatagramChannel.open()) {
            alice.contacts().add("bob", bob.publicKey());
            int bobPort = bob.dht().localAddress().getPort();
            for (dev.scout.dht.udp.DhtNode n : testnet.nodes()) { // counts bob's record reads where they arrive
                n.setDatagramFilter((b, len, from) -> {
                    if (from.getPort() == bobPort && new String(b, 0, len, java.nio.charset.StandardCharsets.ISO_8859_1)
                            .contains("1:q3:get")) {
                        gets.incrementAndGet();
                    }
                    return false;
                });
            }
            stranger.bind(new java.net.InetSocketAddress("127.0.0.1", 0)).configureBlocking(false);
            java.net.InetSocketAddress bobAt = new java.net.InetSocketAddress("127.0.0.1", bobPort);
            PokeWire.PairPokeKeys alicesKeys = PokeWire.PairPokeKeys.derive(alice.store().requireIdentity(), bob.publicKey());
            long now = System.currentTimeMillis();
            // a genuine poke first: it is taken and makes bob read alice's record (the counter sees that)
            byte[] genuine = PokeWire.encode(alicesKeys, PokeWire.KIND_MESSAGE, now);
            stranger.send(java.nio.ByteBuffer.wrap(genuine), bobAt);
            Await.await(() -> bob.push().counts()[0] == 1 && gets.get() > 0, "the genuine poke taken and bob reading the record");
            int before = -1;
            while (before != gets.get()) { // until bob's start-up sweep and wake-up are over: no new read for 1 s
                before = gets.get();
                Thread.sleep(1_000);
            }
            gets.set(0);
            long dropped = bob.push().counts()[1];
            byte[] forged = PokeWire.encode(alicesKeys, PokeWire.KIND_MESSAGE, now + 1);
            forged[PokeWire.LENGTH - 1] ^= 1;
            byte[][] bad = {
                    PokeWire.encode(PokeWire.PairPokeKeys.derive(dev.scout.dht.Ed25519KeyPair.generate(), bob.publicKey()),
                            PokeWire.KIND_MESSAGE, now), // a stranger's
                    forged,
                    genuine, // replayed
                    PokeWire.encode(alicesKeys, PokeWire.KIND_RECORD, now - PokeWire.MAX_SKEW_MILLIS - 1_000)}; // stale
            for (byte[] d : bad) {
                stranger.send(java.nio.ByteBuffer.wrap(d), bobAt);
            }
            Await.await(() -> bob.push().counts()[1] == dropped + bad.length, "the four pokes dropped");
            assertThat(bob.push().counts()[0]).as("pokes taken").isEqualTo(1);
            Thread.sleep(500); // a lookup would have started at once (the decision is made on the receiving thread)
            assertThat(gets.get()).as("record reads caused").isZero();
            assertThat(stranger.receive(java.nio.ByteBuffer.allocate(1500))).as("an answer to the stranger").isNull();
        } finally {
            for (dev.scout.dht.udp.DhtNode n : testnet.nodes()) {
                n.setDatagramFilter(null);
            }
        }
    }

    private static InMemoryStore storeWith(String name, dev.scout.dht.Ed25519PublicKey contact) {
        InMemoryStore store = new InMemoryStore(dev.scout.dht.Ed25519KeyPair.generate());
        store.addContact(name, contact);
        return store;
    }
}
