package dev.scout.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scout.session.stream.BufferBudget;
import dev.scout.session.stream.StreamBuffer;
import dev.scout.session.transport.Frame;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The peer's side of the stream rules, frame by frame: the allowance and the buffer budget. */
class StreamSetTest {
    private final BufferBudget endpoint = new BufferBudget(BufferBudget.ENDPOINT_LIMIT);
    private final Arrivals arrivals = new Arrivals(Runnable::run);

    private static Frame.Stream frame(int id, int bytes) {
        return new Frame.Stream(id, 0, false, new byte[bytes]);
    }

    @Test
    void aFrameOnTheLastAllowedStreamOpensAllBelowItAndOneMoreBreaksTheProtocol() throws Exception {
        StreamSet responder = new StreamSet(false, new BufferBudget(BufferBudget.SESSION_LIMIT, endpoint));
        int last = 2 * (StreamSet.PEER_STREAMS - 1); // the initiator's ids are even
        assertThat(responder.onPeerData(frame(last, 10), null, arrivals)).isNull();
        assertThat(responder.size()).isEqualTo(StreamSet.PEER_STREAMS);
        for (int i = 0; i < StreamSet.PEER_STREAMS; i++) {
            assertThat(arrivals.accept().get(1, TimeUnit.SECONDS).id()).isEqualTo(2 * i);
        }
        assertThat(responder.onPeerData(frame(last + 2, 10), null, arrivals))
                .contains("beyond the " + StreamSet.PEER_STREAMS + " open streams");
        assertThat(responder.size()).isEqualTo(StreamSet.PEER_STREAMS);
        // our own ids are not the peer's to open: ignored, nothing created
        assertThat(responder.onPeerData(frame(1, 10), null, arrivals)).isNull();
        assertThat(responder.size()).isEqualTo(StreamSet.PEER_STREAMS);
    }

    @Test
    void bytesBeyondTheSessionBudgetAreRefusedAndNothingIsStored() {
        BufferBudget session = new BufferBudget(4 * StreamBuffer.MIN_CAPACITY, endpoint);
        StreamSet responder = new StreamSet(false, session);
        for (int id = 0; id < 8; id += 2) {
            assertThat(responder.onPeerData(frame(id, 1_000), null, arrivals)).isNull();
        }
        assertThat(session.reserved()).isEqualTo(4 * StreamBuffer.MIN_CAPACITY);
        assertThat(endpoint.reserved()).isEqualTo(session.reserved());
        assertThat(responder.onPeerData(frame(8, 1_000), null, arrivals)).isSameAs(StreamImpl.NO_ROOM);
        assertThat(responder.onPeerData(new Frame.Stream(0, 1_000, false, new byte[StreamBuffer.MIN_CAPACITY]),
                null, arrivals)).as("growing a ring past the budget").isSameAs(StreamImpl.NO_ROOM);
        assertThat(session.reserved()).isEqualTo(4 * StreamBuffer.MIN_CAPACITY);
        assertThat(session.peak()).isEqualTo(4 * StreamBuffer.MIN_CAPACITY);
        // the session ends: its reservation goes back to the endpoint at once
        responder.failAll(new SessionException("ended"));
        assertThat(endpoint.reserved()).isZero();
        assertThat(responder.onPeerData(frame(8, 1_000), null, arrivals)).as("an ended session reserves nothing")
                .isSameAs(StreamImpl.NO_ROOM);
    }
}
