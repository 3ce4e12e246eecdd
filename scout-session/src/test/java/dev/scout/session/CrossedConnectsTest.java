package dev.scout.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scout.session.handshake.Wire;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Both sides initiating at once must leave exactly one session, however many connects each side makes
 * meanwhile (a daemon connects twice: its own rendezvous and its answer to the peer's connect intent).
 */
class CrossedConnectsTest extends LoopbackPeers {
    @Test
    void aSecondConnectWhileTheAnsweredSessionAwaitsConfirmationGetsThatSession() throws Exception {
        Peers[] p = pair(Peers.fast());
        Arrays.sort(p, (x, y) -> Arrays.compareUnsigned(x.key().bytes(), y.key().bytes()));
        Peers small = p[0];
        Peers big = p[1];
        // The big key's initiations are lost, and the small key's confirmation is held back: the big side
        // answers the small side's initiation (the smaller key's initiation wins) and waits for its
        // confirmation, as across an 80 ms Internet when both daemons' connects start a moment apart.
        big.tap.outgoing = (d, to) -> d[0] == Wire.INIT ? List.of() : List.of(d);
        LinkedBlockingQueue<Map.Entry<byte[], InetSocketAddress>> held = new LinkedBlockingQueue<>();
        small.tap.outgoing = (d, to) -> {
            if (d[0] == Wire.DATA) {
                held.add(Map.entry(d, to));
                return List.of();
            }
            return List.of(d);
        };
        CompletableFuture<Session> first = big.endpoint.connect(small.key(), List.of(small.address()));
        Session ofSmall = small.endpoint.connect(big.key(), List.of(big.address())).get(5, TimeUnit.SECONDS);
        assertThat(ofSmall.initiator()).isTrue();
        assertThat(first).isNotDone();

        // The big side connects again before the confirmation arrives (its rendezvous's start time),
        // and this time its initiation would get through.
        big.tap.outgoing = (d, to) -> List.of(d);
        CompletableFuture<Session> second = big.endpoint.connect(small.key(), List.of(small.address()));
        small.tap.outgoing = (d, to) -> List.of(d);
        for (Map.Entry<byte[], InetSocketAddress> h = held.poll(); h != null; h = held.poll()) {
            small.tap.inject(h.getKey(), h.getValue());
        }

        Session a = first.get(5, TimeUnit.SECONDS);
        Session b = second.get(5, TimeUnit.SECONDS);
        assertThat(b).as("the second connect's session").isSameAs(a);
        assertThat(a.initiator()).isFalse();
        // It is the small side's session: what one writes, the other reads.
        SessionStream s = ofSmall.openStream();
        s.output().write("one session".getBytes(StandardCharsets.UTF_8));
        s.output().close();
        assertThat(b.acceptStream().get(5, TimeUnit.SECONDS).input().readAllBytes())
                .isEqualTo("one session".getBytes(StandardCharsets.UTF_8));
        assertThat(big.incoming).isEmpty();
        assertThat(small.incoming).isEmpty();
    }
}
