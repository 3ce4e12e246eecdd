package dev.scout.node;

import dev.scout.app.Contact;
import dev.scout.dht.udp.LoopbackTestnet;
import dev.scout.session.NatType;
import dev.scout.session.SessionStream;
import dev.scout.testkit.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A relay killed in mid-session when no direct path can work (docs/sessions.md, "Another relay"): two
 * public relays on a loopback testnet, found on the DHT (nothing pinned); Alice and Bob act as if behind
 * symmetric NATs, so their session runs through a relay and can never go direct. Each registers at both
 * relays (home and standby) and publishes both. The relay the session uses is killed while a stream is
 * on its way: the same session continues through the other relay within 15 s and the stream arrives
 * intact.
 */
@Timeout(240)
class RelayFailoverTest {
    /** Through the modest limits' 512 KiB/s per client: about 6 s, so the kill lands mid-transfer. */
    private static final int BYTES = 3 << 20;

    @Test
    void aRelayedSessionWhoseRelayDiesContinuesThroughTheOtherRelayWithin15s() throws Exception {
        LoopbackTestnet net = LoopbackTestnet.start(12);
        List<ScoutNode> relays = new CopyOnWriteArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                relays.add(ScoutNode.builder().testnet(net).assumeNat(NatType.NONE).relay(RelayOptions.DEFAULT).start());
            }
            for (ScoutNode r : relays) {
                Await.await(() -> r.status().relay().serving() && r.status().relay().announced(), "a public node relays and is announced",
                        Duration.ofSeconds(60));
            }
            try (ScoutNode alice = homeNode(net); ScoutNode bob = homeNode(net)) {
                Contact bobForAlice = alice.contacts().add("bob", bob.publicKey());
                Contact aliceForBob = bob.contacts().add("alice", alice.publicKey());
                for (ScoutNode n : List.of(alice, bob)) {
                    Await.await(() -> twoRelays(n), "registered at a home and a standby relay, both published",
                            Duration.ofSeconds(60));
                }
                System.out.printf("alice: home %s, standby %s; bob: home %s, standby %s%n", alice.status().relay().via().orElseThrow(),
                        alice.status().relay().home().standby().orElseThrow(), bob.status().relay().via().orElseThrow(),
                        bob.status().relay().home().standby().orElseThrow());
                alice.sync(bobForAlice).get(60, TimeUnit.SECONDS); // what the message poll (or a poke) does anyway
                bob.sync(aliceForBob).get(60, TimeUnit.SECONDS);
                List<NodeEvent> aliceEvents = new CopyOnWriteArrayList<>();
                alice.onEvent(aliceEvents::add);
                CompletableFuture<ContactSession> incoming = new CompletableFuture<>();
                bob.onSession(incoming::complete);

                ContactSession ours = alice.open(bobForAlice).get(30, TimeUnit.SECONDS);
                ContactSession theirs = incoming.get(10, TimeUnit.SECONDS);
                assertThat(ours.via()).isEqualTo(ContactSession.VIA_RELAY);
                InetSocketAddress first = ours.relay().orElseThrow();
                ScoutNode dying = relays.stream().filter(r -> r.dht().localAddress().getPort() == first.getPort()).findFirst().orElseThrow();
                ScoutNode other = relays.stream().filter(r -> r != dying).findFirst().orElseThrow();

                byte[] data = new byte[BYTES];
                new Random(20).nextBytes(data);
                AtomicLong received = new AtomicLong();
                CompletableFuture<byte[]> read = theirs.session().acceptStream().thenApplyAsync(st -> readAll(st.input(), received));
                SessionStream stream = ours.session().openStream();
                CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
                    try (OutputStream out = stream.output()) {
                        out.write(data);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                Await.await(() -> received.get() >= BYTES / 4, "a quarter of the stream arrived through the first relay",
                        Duration.ofSeconds(30));
                assertThat(received.get()).as("the kill lands mid-transfer").isLessThan(BYTES);
                long atKill = received.get();
                long killed = System.nanoTime();
                dying.close(); // the relay the session runs through dies
                relays.remove(dying);
                InetSocketAddress otherAt = other.dht().localAddress();
                Await.await(() -> ours.relay().filter(r -> r.getPort() == otherAt.getPort()).isPresent()
                                && theirs.relay().filter(r -> r.getPort() == otherAt.getPort()).isPresent(),
                        "both sides moved to the other relay", Duration.ofSeconds(15));
                long movedMillis = (System.nanoTime() - killed) / 1_000_000;
                assertThat(movedMillis).as("moved within 15 s of the kill").isLessThan(15_000);
                byte[] got = read.get(60, TimeUnit.SECONDS);
                written.get(10, TimeUnit.SECONDS);
                long doneMillis = (System.nanoTime() - killed) / 1_000_000;
                assertThat(MessageDigest.getInstance("SHA-256").digest(got)).as("the stream arrived intact")
                        .isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
                assertThat(ours.ended()).as("the same session, never ended").isFalse();
                assertThat(theirs.ended()).isFalse();
                assertThat(alice.sessions().stream().filter(s -> s.contact().equals("bob")).map(ContactSession::id).toList())
                        .as("no second session (no reconnect)").containsExactly(ours.id());
                assertThat(ours.via()).isEqualTo(ContactSession.VIA_RELAY);
                assertThat(aliceEvents).as("the move is announced").anyMatch(e -> e instanceof NodeEvent.SessionPathChanged p
                        && p.session().id().equals(ours.id()) && p.session().relay().map(r -> r.getPort() == otherAt.getPort()).orElse(false));
                System.out.printf("relay %s killed with %d of %d bytes delivered: the session moved to relay %s %d ms later; "
                        + "the stream completed intact %d ms after the kill%n", first, atKill, BYTES, otherAt, movedMillis, doneMillis);
                // The home relay that died is left for the standby (checked at once when the session went silent).
                for (ScoutNode n : List.of(alice, bob)) {
                    Await.await(() -> n.status().relay().registered() && n.status().relay().via().map(v -> v.getPort() == otherAt.getPort())
                            .orElse(false), "the standby took over as home relay", Duration.ofSeconds(15));
                }
                System.out.printf("both daemons had the surviving relay as home relay %d ms after the kill%n",
                        (System.nanoTime() - killed) / 1_000_000);
                // The session keeps working on the new relay after both daemons moved house.
                byte[] more = new byte[256 * 1024];
                new Random(21).nextBytes(more);
                CompletableFuture<byte[]> readMore = theirs.session().acceptStream().thenApplyAsync(st -> readAll(st.input(), new AtomicLong()));
                try (OutputStream out = ours.session().openStream().output()) {
                    out.write(more);
                }
                assertThat(readMore.get(30, TimeUnit.SECONDS)).isEqualTo(more);
                assertThat(ours.ended()).isFalse();
                ours.session().close();
            }
        } finally {
            relays.forEach(ScoutNode::close);
            net.close();
        }
    }

    private static ScoutNode homeNode(LoopbackTestnet net) {
        return ScoutNode.builder().testnet(net).pollInterval(Duration.ofSeconds(1)).assumeNat(NatType.SYMMETRIC)
                .relay(RelayOptions.DEFAULT).start();
    }

    private static boolean twoRelays(ScoutNode n) {
        NodeStatus.Relay r = n.status().relay();
        return r.registered() && r.home().standby().isPresent() && r.publishedTo() == 1;
    }

    private static byte[] readAll(InputStream in, AtomicLong received) {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            byte[] b = new byte[16 * 1024];
            for (int n; (n = in.read(b)) >= 0; ) {
                out.write(b, 0, n);
                received.addAndGet(n);
            }
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
