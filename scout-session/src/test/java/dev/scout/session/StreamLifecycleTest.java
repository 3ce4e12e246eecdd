package dev.scout.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Streams end, are forgotten and give their memory back; the peer's allowance of open streams. */
class StreamLifecycleTest extends LoopbackPeers {
    private Session[] sessions() throws Exception {
        Peers[] p = pair(Peers.fast());
        Session sa = p[0].endpoint.connect(p[1].key(), List.of(p[1].address())).get(5, TimeUnit.SECONDS);
        Session sb = p[1].incoming.poll(5, TimeUnit.SECONDS);
        assertThat(sb).isNotNull();
        return new Session[] {sa, sb};
    }

    @Test
    void aThousandStreamsOneAfterAnotherAllArriveAndAreForgotten() throws Exception {
        Session[] s = sessions();
        for (int i = 0; i < 1_000; i++) {
            SessionStream out = s[0].openStream();
            byte[] question = ("question " + i).getBytes(StandardCharsets.UTF_8);
            out.output().write(question);
            out.output().close();
            SessionStream in = s[1].acceptStream().get(5, TimeUnit.SECONDS);
            assertThat(in.input().readAllBytes()).as("stream %d", i).isEqualTo(question);
            in.output().write(("answer " + i).getBytes(StandardCharsets.UTF_8));
            in.output().close();
            assertThat(new String(out.input().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("answer " + i);
        }
        Connection alice = (Connection) s[0];
        Connection bob = (Connection) s[1];
        Eventually.holds(() -> alice.streams().size() == 0 && bob.streams().size() == 0, 5_000,
                () -> "open streams: Alice " + alice.streams().size() + ", Bob " + bob.streams().size());
        assertThat(bob.streams().buffered()).isZero();
        assertThat(alice.streams().buffered()).isZero();
    }

    @Test
    void openingMoreStreamsThanThePeerAllowsIsRefusedCleanlyUntilOneEnds() throws Exception {
        Session[] s = sessions();
        List<SessionStream> opened = new ArrayList<>();
        for (int i = 0; i < StreamSet.PEER_STREAMS; i++) {
            SessionStream out = s[0].openStream();
            out.output().write(i);
            out.output().close();
            opened.add(out);
        }
        assertThatThrownBy(() -> s[0].openStream()).isInstanceOf(SessionException.class)
                .hasMessageContaining(StreamSet.PEER_STREAMS + " open streams");
        // Bob reads one to its end and ends his side: Alice may open one more.
        SessionStream first = s[1].acceptStream().get(5, TimeUnit.SECONDS);
        assertThat(first.input().readAllBytes()).containsExactly(0);
        first.output().close();
        assertThat(opened.get(0).input().read()).isEqualTo(-1);
        SessionStream extra = Eventually.value(() -> {
            try {
                return s[0].openStream();
            } catch (SessionException e) {
                return null;
            }
        }, 5_000, "a new stream once Bob's first one ended");
        extra.output().write(7);
        extra.output().close();
        for (int i = 1; i < StreamSet.PEER_STREAMS; i++) {
            assertThat(s[1].acceptStream().get(5, TimeUnit.SECONDS).input().readAllBytes()).containsExactly(i & 0xFF);
        }
        assertThat(s[1].acceptStream().get(5, TimeUnit.SECONDS).input().readAllBytes()).containsExactly(7);
        assertThat(s[0].closed()).isNotDone();
    }
}
