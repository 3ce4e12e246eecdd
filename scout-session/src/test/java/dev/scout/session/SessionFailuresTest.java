package dev.scout.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scout.session.handshake.Wire;
import dev.scout.session.transport.Frame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What happens when something goes wrong inside an endpoint or a session: the rest keeps working. */
class SessionFailuresTest extends LoopbackPeers {
    @Test
    void anErrorThrownOnTheLoopEndsThatHandshakeButNotTheEndpoint() throws Exception {
        Peers bob = peer(Peers.fast());
        Peers mallory = peer(Peers.fast());
        Peers alice = peer(Peers.fast());
        mallory.trust(bob);
        alice.trust(bob);
        bob.trust(alice);
        AtomicInteger thrown = new AtomicInteger();
        bob.policy = k -> {
            if (k.equals(mallory.key())) {
                thrown.incrementAndGet();
                throw new OutOfMemoryError("pretend: the heap ran out while deciding Mallory's handshake");
            }
            return bob.contacts.contains(k);
        };
        CompletableFuture<Session> m = mallory.endpoint.connect(bob.key(), List.of(bob.address()));
        assertThatThrownBy(() -> m.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(NoDirectPathException.class);
        assertThat(thrown.get()).isPositive();
        // Bob's loop still drains its datagrams: Alice gets a session and a stream through.
        Session a = alice.endpoint.connect(bob.key(), List.of(bob.address())).get(5, TimeUnit.SECONDS);
        Session b = bob.incoming.poll(5, TimeUnit.SECONDS);
        assertThat(b).isNotNull();
        SessionLoopbackTest.transfer(a, b, 100_000, 5);
    }

    @Test
    void aConnectParkedOnAnAnsweredSessionFailsWhenThatSessionDies() throws Exception {
        SessionConfig quick = Peers.fast().withIdleTimeout(Duration.ofMillis(1500), Duration.ofMillis(300));
        Peers alice = peer(quick);
        Peers bob = peer(quick);
        alice.trust(bob);
        bob.trust(alice);
        // Alice's DATA never arrives: Bob answers her initiation but the session is never confirmed.
        alice.tap.outgoing = (d, to) -> d[0] == Wire.DATA ? List.of() : List.of(d);
        alice.endpoint.connect(bob.key(), List.of(bob.address())).get(5, TimeUnit.SECONDS);
        // Bob's own connect now waits for that answered session (the two connects crossed) ...
        CompletableFuture<Session> parked = bob.endpoint.connect(alice.key(), List.of(alice.address()));
        // ... which dies of silence: the connect must fail with the reason, not hang to the caller's timeout.
        assertThatThrownBy(() -> parked.get(8, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(SessionException.class).hasMessageContaining("silent");
        assertThat(bob.incoming).isEmpty();
    }

    @Test
    void aMessageIsNeverDeliveredTwiceEvenAfterTheWindowSlid() throws Exception {
        Peers alice = peer(Peers.fast());
        Peers bob = peer(Peers.fast());
        alice.trust(bob);
        bob.trust(alice);
        Session a = alice.endpoint.connect(bob.key(), List.of(bob.address())).get(5, TimeUnit.SECONDS);
        Session b = bob.incoming.poll(5, TimeUnit.SECONDS);
        LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
        b.onMessage(m -> got.add(new String(m, StandardCharsets.UTF_8)));
        int count = 10_001; // message ids 0..10,000
        for (int i = 0; i < count; i++) {
            a.sendMessage(Integer.toString(i).getBytes(StandardCharsets.UTF_8));
        }
        for (int i = 0; i < count; i++) {
            assertThat(got.poll(10, TimeUnit.SECONDS)).as("message %d of %d", i, count).isNotNull();
        }
        // Alice's recovery sends old messages again, as it does when their acknowledgement was lost:
        // one just inside the window, one long seen in its middle, one older than the window.
        Connection alicesSide = (Connection) a;
        alice.endpoint.runOnLoop(() -> {
            for (long id : new long[] {5_905, 5_951, 9_000, 100}) {
                alicesSide.frameHandler.lost(new Frame.Message(id, ("again " + id).getBytes(StandardCharsets.UTF_8)));
            }
            alicesSide.flush();
        });
        // The marker is queued after them; messages reach the listener in the order they were accepted.
        a.sendMessage("marker".getBytes(StandardCharsets.UTF_8));
        List<String> delivered = new java.util.ArrayList<>();
        delivered.add(got.poll(5, TimeUnit.SECONDS));
        got.drainTo(delivered);
        assertThat(delivered).containsExactly("marker");
    }
}
