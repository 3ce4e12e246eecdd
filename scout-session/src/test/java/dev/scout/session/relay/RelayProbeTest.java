package dev.scout.session.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scout.session.UdpLink;
import dev.scout.session.relay.internal.RelayWire;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link RelayLink#probe}: a real relay answers with a challenge (round trip measured); an address that
 * is not a relay, or a "relay" answering with someone else's probe, does not count; probes out at once
 * are capped.
 */
@Timeout(30)
class RelayProbeTest {
    @Test
    void aRelayAnswersAProbeAndAnythingElseTimesOut() throws Exception {
        try (UdpLink relayUdp = UdpLink.start(new InetSocketAddress("127.0.0.1", 0));
             UdpLink clientUdp = UdpLink.start(new InetSocketAddress("127.0.0.1", 0));
             RawClient notARelay = new RawClient("127.0.0.1", 7)) {
            RelayLink relay = RelayLink.over(relayUdp);
            relay.serve(RelayLimits.modest());
            RelayLink client = RelayLink.over(clientUdp);
            Duration rtt = client.probe(relayUdp.localAddress(), Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS);
            assertThat(rtt).isBetween(Duration.ZERO, Duration.ofSeconds(2));
            // The relay kept nothing for it: no client registered, only a challenge's bytes spent.
            assertThat(relay.relayStats().orElseThrow().clients()).isZero();

            CompletableFuture<Duration> silent = client.probe(notARelay.address(), Duration.ofMillis(300));
            byte[] probe = notARelay.receive(2_000);
            assertThat(probe).hasSize(RelayWire.REGISTER_LENGTH);
            assertThat(probe[1]).isEqualTo(RelayWire.REGISTER);
            // A challenge echoing another probe, or ours from elsewhere, proves nothing.
            byte[] wrong = RelayWire.cookieReply(RelayWire.CHALLENGE, new byte[RelayWire.REGISTER_LENGTH], 1, new byte[16]);
            notARelay.send(wrong, clientUdp.localAddress());
            try (RawClient elsewhere = new RawClient("127.0.0.1", 8)) {
                elsewhere.send(RelayWire.cookieReply(RelayWire.CHALLENGE, probe, 1, new byte[16]), clientUdp.localAddress());
            }
            assertThatThrownBy(() -> silent.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TimeoutException.class).hasMessageContaining("no answer from");
            relay.close();
            client.close();
        }
    }

    @Test
    void probesOutAtOnceAreCapped() throws Exception {
        try (UdpLink clientUdp = UdpLink.start(new InetSocketAddress("127.0.0.1", 0));
             RawClient sink = new RawClient("127.0.0.1", 9)) {
            RelayLink client = RelayLink.over(clientUdp);
            List<CompletableFuture<Duration>> out = new ArrayList<>();
            for (int i = 0; i < RelayProbes.MAX_PENDING + 5; i++) {
                out.add(client.probe(sink.address(), Duration.ofSeconds(5)));
            }
            assertThat(out.stream().filter(CompletableFuture::isCompletedExceptionally).count()).isEqualTo(5);
            int received = 0;
            while (sink.receive(300) != null) {
                received++;
            }
            assertThat(received).isEqualTo(RelayProbes.MAX_PENDING);
            client.close();
        }
    }
}
