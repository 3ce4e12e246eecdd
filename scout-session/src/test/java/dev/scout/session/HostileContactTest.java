package dev.scout.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scout.dht.Ed25519KeyPair;
import dev.scout.session.stream.BufferBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A contact turned hostile (or a stolen contact key): two sessions, all 256 streams in each filled
 * while Bob's application reads none, and a flood of messages nobody listens to. Bob's receive
 * buffers stay within their budgets and Alice's transfer to Bob completes meanwhile.
 */
class HostileContactTest extends LoopbackPeers {
    private static final int PER_STREAM = 64 * 1024;

    @Test
    void aFloodingContactStaysWithinTheBudgetsWhileAnotherContactsTransferCompletes() throws Exception {
        Peers bob = peer(Peers.fast(), Ed25519KeyPair.generate());
        // Alice connects while Bob's loop works through the flood: she gets the daemon's 8 s connect timeout, as a user would.
        Peers alice = peer(SessionConfig.defaults().withConnectTimeout(java.time.Duration.ofSeconds(8)), Ed25519KeyPair.generate());
        Ed25519KeyPair malloryKey = Ed25519KeyPair.generate();
        List<Peers> mallory = List.of(peer(Peers.fast(), malloryKey), peer(Peers.fast(), malloryKey)); // two devices, one session each
        bob.trust(alice);
        alice.trust(bob);
        bob.contacts.add(malloryKey.publicKey());
        List<Connection> bobsSideOfMallory = new ArrayList<>();
        List<Session> malloryOpened = new ArrayList<>();
        for (Peers m : mallory) {
            m.trust(bob);
            malloryOpened.add(m.endpoint.connect(bob.key(), List.of(bob.address())).get(5, TimeUnit.SECONDS));
            bobsSideOfMallory.add((Connection) bob.incoming.poll(5, TimeUnit.SECONDS));
        }
        for (Session s : malloryOpened) {
            for (int i = 0; i < StreamSet.PEER_STREAMS; i++) {
                s.openStream().output().write(Peers.random(PER_STREAM, i)); // 16 MiB per session
            }
            assertThatThrownBy(s::openStream).isInstanceOf(SessionException.class);
            for (int i = 0; i < 5_000; i++) {
                s.sendMessage(new byte[Session.MAX_MESSAGE]);
            }
        }
        Session a = alice.endpoint.connect(bob.key(), List.of(bob.address())).get(10, TimeUnit.SECONDS);
        Session b = bob.incoming.poll(5, TimeUnit.SECONDS);
        long t0 = System.nanoTime();
        SessionLoopbackTest.transfer(a, b, 5 << 20, 11);
        System.out.printf("Alice's 5 MiB to Bob during the flood: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        // Mallory's sessions did fill their budgets, and no more.
        for (Connection c : bobsSideOfMallory) {
            Eventually.holds(() -> c.streams().buffered() > BufferBudget.SESSION_LIMIT - PER_STREAM, 20_000,
                    () -> "Mallory's session holds only " + c.streams().buffered() + " bytes");
            assertThat(c.streams().buffered()).isLessThanOrEqualTo(BufferBudget.SESSION_LIMIT);
            assertThat(c.streams().size()).isPositive().isLessThanOrEqualTo(StreamSet.PEER_STREAMS);
            assertThat(c.closed()).isNotDone();
        }
        // The endpoint never held more than Mallory's two sessions' and Alice's session's budgets.
        assertThat(bob.endpoint.buffers.peak()).isLessThanOrEqualTo(3 * BufferBudget.SESSION_LIMIT)
                .isLessThanOrEqualTo(BufferBudget.ENDPOINT_LIMIT);
        // Mallory goes away: her sessions end and Bob holds nothing for them any more.
        mallory.forEach(Peers::close);
        for (Connection c : bobsSideOfMallory) {
            c.closed().handle((v, e) -> null).get(5, TimeUnit.SECONDS);
        }
        Connection alicesSession = (Connection) b;
        Eventually.holds(() -> bob.endpoint.buffers.reserved() == alicesSession.streams().buffered(), 5_000,
                () -> "Bob reserves " + bob.endpoint.buffers.reserved() + " bytes, Alice's session "
                        + alicesSession.streams().buffered());
        alicesSession.close();
        assertThat(bob.endpoint.buffers.reserved()).isZero();
    }
}
