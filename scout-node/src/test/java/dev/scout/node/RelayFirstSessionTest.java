package dev.scout.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scout.app.Contact;
import dev.scout.dht.udp.LoopbackTestnet;
import dev.scout.session.NatType;
import dev.scout.session.SessionStream;
import dev.scout.testkit.Await;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Relay first, then direct, through the node's verbs (docs/sessions.md): on a loopback testnet Carol
 * relays, Alice and Bob act as if behind cone NATs and are reachable through Carol. Alice's session to
 * Bob is made through Bob's relay (no record read for intents, no connect intent), then moves to the
 * direct path and says so (`via` relay → direct, a {@link NodeEvent.SessionPathChanged} on both sides);
 * killing the relay then ends nothing: a transfer after it arrives intact.
 */
@Timeout(120)
class RelayFirstSessionTest {
    static LoopbackTestnet testnet;

    @BeforeAll
    static void start() {
        testnet = LoopbackTestnet.start(16);
    }

    @AfterAll
    static void stop() {
        testnet.close();
    }

    @Test
    void aSessionStartsThroughTheContactsRelayMovesDirectAndOutlivesTheRelay() throws Exception {
        ScoutNode carol = ScoutNode.builder().testnet(testnet).relay(new RelayOptions(true, Optional.empty())).start();
        RelayOptions viaCarol = new RelayOptions(false, Optional.of(carol.dht().localAddress()));
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
            Await.await(() -> movedDirect(aliceEvents, ours) && movedDirect(bobEvents, theirs),
                    "both sides announced via relay -> direct");
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

    private static boolean movedDirect(List<NodeEvent> events, ContactSession s) {
        return events.stream().anyMatch(e -> e instanceof NodeEvent.SessionPathChanged p && p.session().id().equals(s.id())
                && p.session().via().equals(ContactSession.VIA_DIRECT));
    }
}
