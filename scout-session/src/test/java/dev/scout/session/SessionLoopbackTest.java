package dev.scout.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scout.session.handshake.Wire;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Two endpoints on real UDP sockets on 127.0.0.1. */
class SessionLoopbackTest extends LoopbackPeers {
    @Test
    void handshakeAuthenticatesBothSidesAndStreamsFlowBothWays() throws Exception {
        Peers[] p = pair(Peers.fast());
        Session a = p[0].endpoint.connect(p[1].key(), List.of(p[1].address())).get(5, TimeUnit.SECONDS);
        Session b = p[1].incoming.poll(5, TimeUnit.SECONDS);
        assertThat(b).isNotNull();
        assertThat(a.peer()).isEqualTo(p[1].key());
        assertThat(b.peer()).isEqualTo(p[0].key());
        assertThat(a.initiator()).isTrue();
        assertThat(b.initiator()).isFalse();
        assertThat(a.remoteAddress()).isEqualTo(p[1].address());

        SessionStream out = a.openStream();
        out.output().write("hello bob".getBytes(StandardCharsets.UTF_8));
        out.output().close();
        SessionStream in = b.acceptStream().get(5, TimeUnit.SECONDS);
        assertThat(new String(in.input().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello bob");
        in.output().write("hi alice".getBytes(StandardCharsets.UTF_8));
        in.output().close();
        assertThat(new String(out.input().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hi alice");

        LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        b.onMessage(m -> messages.add(new String(m, StandardCharsets.UTF_8)));
        a.sendMessage("short one".getBytes(StandardCharsets.UTF_8));
        assertThat(messages.poll(5, TimeUnit.SECONDS)).isEqualTo("short one");
        assertThatThrownBy(() -> a.sendMessage(new byte[Session.MAX_MESSAGE + 1]))
                .isInstanceOf(dev.scout.dht.LimitExceededException.class).hasMessageContaining("1024");
    }

    @Test
    void aPeerWithoutASessionListenerRefusesTheSessionAndCloseSaysSo() throws Exception {
        Peers[] p = pair(Peers.fast());
        p[1].endpoint.onSession(null); // Bob takes no incoming sessions
        Session a = p[0].endpoint.connect(p[1].key(), List.of(p[1].address())).get(5, TimeUnit.SECONDS);
        Throwable ended = a.closed().handle((v, e) -> e).get(10, TimeUnit.SECONDS);
        assertThat(ended).as("the refused session ends with an error").isNotNull().hasMessageContaining("abnormally");
        assertThatThrownBy(a::openStream).isInstanceOf(SessionException.class);
        assertThatThrownBy(a::close).isInstanceOf(SessionException.class).hasMessageContaining("abnormally");
    }

    @Test
    void closeFailsWhenThePeerGoesAwayBeforeWrittenBytesAreAcknowledged() throws Exception {
        Peers[] p = pair(Peers.fast());
        Session a = p[0].endpoint.connect(p[1].key(), List.of(p[1].address())).get(5, TimeUnit.SECONDS);
        assertThat(p[1].incoming.poll(5, TimeUnit.SECONDS)).isNotNull(); // Bob took it but never reads
        SessionStream out = a.openStream();
        out.output().write(new byte[200_000]);
        p[1].endpoint.close(); // Bob's endpoint goes away with our bytes unread
        try {
            out.output().write(new byte[100_000]);
            out.output().close();
        } catch (java.io.IOException e) {
            // ended already: also not delivered
        }
        assertThatThrownBy(a::close).isInstanceOf(SessionException.class);
    }

    @Test
    void fiveMegabytesArriveIntactEachWay() throws Exception {
        Peers[] p = pair(Peers.fast());
        Session a = p[0].endpoint.connect(p[1].key(), List.of(p[1].address())).get(5, TimeUnit.SECONDS);
        Session b = p[1].incoming.poll(5, TimeUnit.SECONDS);
        transfer(a, b, 5 << 20, 1);
        transfer(b, a, 5 << 20, 2);
    }

    @Test
    void fiveMegabytesSurviveTenPercentLossBothWays() throws Exception {
        Peers a = peer(Peers.fast());
        Peers b = peer(Peers.fast());
        a.trust(b);
        b.trust(a);
        a.tap.outgoing = TapLink.lossy(a.udp, 0.10, 42).outgoing;
        b.tap.outgoing = TapLink.lossy(b.udp, 0.10, 43).outgoing;
        Session sa = a.endpoint.connect(b.key(), List.of(b.address())).get(5, TimeUnit.SECONDS);
        Session sb = b.incoming.poll(5, TimeUnit.SECONDS);
        transfer(sa, sb, 5 << 20, 3);
    }

    /** {@code size} random bytes from one session's new stream to the other's, SHA-256 checked. */
    static void transfer(Session from, Session to, int size, long seed) throws Exception {
        byte[] data = Peers.random(size, seed);
        SessionStream out = from.openStream();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                Peers.writeAll(out.output(), data);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        SessionStream in = to.acceptStream().get(5, TimeUnit.SECONDS);
        long[] count = new long[1];
        byte[] digest = Peers.readAllDigest(in.input(), count);
        writer.get(30, TimeUnit.SECONDS);
        assertThat(count[0]).isEqualTo(size);
        assertThat(digest).isEqualTo(Peers.sha256(data));
    }

    @Test
    void theEndOfAStreamWaitsForTheReceiversWindow() throws Exception {
        Peers[] p = pair(Peers.fast());
        Session a = p[0].endpoint.connect(p[1].key(), List.of(p[1].address())).get(5, TimeUnit.SECONDS);
        Session b = p[1].incoming.poll(5, TimeUnit.SECONDS);
        // Nobody reads yet: Bob's window (1 MiB) fills, the rest waits in Alice's send buffer, and the
        // end of the stream must not overtake those bytes past Bob's window.
        byte[] data = Peers.random(2 << 20, 21);
        SessionStream out = a.openStream();
        out.output().write(data);
        out.output().close();
        SessionStream in = b.acceptStream().get(5, TimeUnit.SECONDS);
        assertThat(in.input().readAllBytes()).isEqualTo(data);
        assertThat(b.closed()).isNotDone();
    }

    @Test
    void aStrangerGetsNoSessionAndNoAnswer() throws Exception {
        Peers bob = peer(Peers.fast());
        Peers mallory = peer(Peers.fast());
        mallory.trust(bob); // Mallory knows Bob's key, but Bob does not know Mallory
        AtomicReference<byte[]> answer = new AtomicReference<>();
        mallory.udp.setReceiver((buf, len, from) -> {
            answer.set(java.util.Arrays.copyOf(buf, len));
            return true;
        });
        CompletableFuture<Session> f = mallory.endpoint.connect(bob.key(), List.of(bob.address()));
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(NoDirectPathException.class);
        assertThat(answer.get()).as("Bob sent nothing back").isNull();
        assertThat(bob.incoming).isEmpty();
    }

    @Test
    void aRemovedContactsKeyCannotConnectAnyMore() throws Exception {
        Peers[] p = pair(Peers.fast());
        Session first = p[0].endpoint.connect(p[1].key(), List.of(p[1].address())).get(5, TimeUnit.SECONDS);
        assertThat(p[1].incoming.poll(5, TimeUnit.SECONDS)).isNotNull();
        first.close();
        p[1].contacts.remove(p[0].key()); // "contacts remove alice"
        CompletableFuture<Session> again = p[0].endpoint.connect(p[1].key(), List.of(p[1].address()));
        assertThatThrownBy(() -> again.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(NoDirectPathException.class);
        assertThat(p[1].incoming).isEmpty();
    }

    @Test
    void aManInTheMiddleWithTheWrongKeyGetsNothing() throws Exception {
        Peers alice = peer(Peers.fast());
        Peers bob = peer(Peers.fast());
        Peers mallory = peer(Peers.fast());
        alice.trust(bob);
        mallory.trust(alice);
        // Alice believes Mallory's address is Bob's: Mallory cannot read the initiation (it is
        // encrypted to Bob's key), so neither side gets a session.
        CompletableFuture<Session> f = alice.endpoint.connect(bob.key(), List.of(mallory.address()));
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(NoDirectPathException.class)
                .hasMessageContaining(mallory.address().getPort() + "");
        assertThat(mallory.incoming).isEmpty();
    }

    @Test
    void replayedAndTamperedPacketsAreDropped() throws Exception {
        Peers[] p = pair(Peers.fast());
        Session a = p[0].endpoint.connect(p[1].key(), List.of(p[1].address())).get(5, TimeUnit.SECONDS);
        Session b = p[1].incoming.poll(5, TimeUnit.SECONDS);
        LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
        b.onMessage(m -> got.add(new String(m, StandardCharsets.UTF_8)));

        // Tamper: the next DATA datagram goes out first with one bit flipped, then intact.
        AtomicReference<byte[]> original = new AtomicReference<>();
        p[0].tap.outgoing = (d, to) -> {
            if (d[0] == Wire.DATA && d.length > 60 && original.compareAndSet(null, d.clone())) {
                byte[] bad = d.clone();
                bad[40] ^= 1;
                return List.of(bad, d);
            }
            return List.of(d);
        };
        a.sendMessage("once".getBytes(StandardCharsets.UTF_8));
        assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("once");
        p[0].tap.outgoing = (d, to) -> List.of(d);

        // Replay: the same datagram again, twice; then a fresh message as a marker.
        p[0].tap.inject(original.get(), p[1].address());
        p[0].tap.inject(original.get(), p[1].address());
        a.sendMessage("marker".getBytes(StandardCharsets.UTF_8));
        assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("marker");
        assertThat(got).isEmpty();
        assertThat(a.closed()).isNotDone();
    }

    @Test
    void replayedInitiationGetsNoSecondSession() throws Exception {
        Peers[] p = pair(Peers.fast());
        AtomicReference<byte[]> init = new AtomicReference<>();
        p[0].tap.outgoing = (d, to) -> {
            if (d[0] == Wire.INIT) {
                init.compareAndSet(null, d.clone());
            }
            return List.of(d);
        };
        Session a = p[0].endpoint.connect(p[1].key(), List.of(p[1].address())).get(5, TimeUnit.SECONDS);
        assertThat(p[1].incoming.poll(5, TimeUnit.SECONDS)).isNotNull();
        a.close();
        // An eavesdropper replays the initiation from another socket after the session ended.
        try (UdpLink eve = UdpLink.start(new InetSocketAddress("127.0.0.1", 0))) {
            LinkedBlockingQueue<byte[]> answers = new LinkedBlockingQueue<>();
            eve.setReceiver((buf, len, from) -> answers.add(java.util.Arrays.copyOf(buf, len)));
            eve.send(init.get(), p[1].address());
            // A fresh, legitimate connection afterwards works, and Eve never got an answer.
            p[0].tap.outgoing = (d, to) -> List.of(d);
            p[0].endpoint.connect(p[1].key(), List.of(p[1].address())).get(5, TimeUnit.SECONDS);
            assertThat(p[1].incoming.poll(5, TimeUnit.SECONDS)).isNotNull();
            assertThat(answers).isEmpty();
        }
        assertThat(p[1].incoming).isEmpty();
    }

    @Test
    void cleanCloseEndsTheStreamsAndCompletesBothSides() throws Exception {
        Peers[] p = pair(Peers.fast());
        Session a = p[0].endpoint.connect(p[1].key(), List.of(p[1].address())).get(5, TimeUnit.SECONDS);
        Session b = p[1].incoming.poll(5, TimeUnit.SECONDS);
        SessionStream s = a.openStream();
        byte[] data = Peers.random(300_000, 9);
        s.output().write(data);
        s.output().close();
        a.close(); // returns once Bob acknowledged everything
        assertThat(a.closed()).isCompleted();
        b.closed().get(5, TimeUnit.SECONDS);
        SessionStream in = b.acceptStream().get(5, TimeUnit.SECONDS);
        assertThat(in.input().readAllBytes()).isEqualTo(data);
        assertThatThrownBy(a::openStream).isInstanceOf(SessionException.class);
    }

    @Test
    void aVanishedPeerTimesOut() throws Exception {
        SessionConfig quick = Peers.fast().withIdleTimeout(Duration.ofMillis(1500), Duration.ofMillis(300));
        Peers[] p = pair(quick);
        Session a = p[0].endpoint.connect(p[1].key(), List.of(p[1].address())).get(5, TimeUnit.SECONDS);
        Session b = p[1].incoming.poll(5, TimeUnit.SECONDS);
        SessionStream out = a.openStream();
        out.output().write(1);
        SessionStream bIn = b.acceptStream().get(5, TimeUnit.SECONDS);
        assertThat(bIn.input().read()).isEqualTo(1);
        p[0].tap.outgoing = (d, to) -> List.of(); // Alice's machine drops off the network
        assertThatThrownBy(() -> b.closed().get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("silent");
        assertThatThrownBy(() -> bIn.input().read()).isInstanceOf(IOException.class).hasMessageContaining("silent").hasCauseInstanceOf(SessionException.class);
    }

    @Test
    void simultaneousConnectsGiveOneSession() throws Exception {
        Peers[] p = pair(Peers.fast());
        CompletableFuture<Session> fa = p[0].endpoint.connect(p[1].key(), List.of(p[1].address()));
        CompletableFuture<Session> fb = p[1].endpoint.connect(p[0].key(), List.of(p[0].address()));
        Session a = fa.get(5, TimeUnit.SECONDS);
        Session b = fb.get(5, TimeUnit.SECONDS);
        assertThat(a.initiator()).isNotEqualTo(b.initiator());
        SessionStream s = a.openStream();
        s.output().write("x".getBytes(StandardCharsets.UTF_8));
        s.output().close();
        assertThat(b.acceptStream().get(5, TimeUnit.SECONDS).input().readAllBytes()).containsExactly('x');
        assertThat(p[0].incoming).isEmpty();
        assertThat(p[1].incoming).isEmpty();
    }

    @Test
    void firstWorkingAddressWins() throws Exception {
        Peers[] p = pair(Peers.fast());
        InetSocketAddress dead = new InetSocketAddress("127.0.0.1", 9); // discard port: nothing answers
        Session a = p[0].endpoint.connect(p[1].key(), List.of(dead, p[1].address())).get(5, TimeUnit.SECONDS);
        assertThat(a.remoteAddress()).isEqualTo(p[1].address());
    }
}
