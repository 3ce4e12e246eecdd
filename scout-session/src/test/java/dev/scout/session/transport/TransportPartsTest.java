package dev.scout.session.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scout.testkit.RandomCases;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The small parts of the transport: ranges, replay window, congestion window, frame codec. */
class TransportPartsTest {

    @Test
    void rangeSetAgreesWithABitSet() {
        RandomCases.forAll(200, RandomCases::longs, TransportPartsTest::rangeSetAgreesWithABitSet);
    }

    private static void rangeSetAgreesWithABitSet(long seed) {
        Random r = new Random(seed);
        RangeSet set = new RangeSet();
        BitSet bits = new BitSet();
        for (int i = 0; i < 60; i++) {
            int a = r.nextInt(500);
            int b = a + r.nextInt(40);
            if (r.nextInt(3) == 0) {
                set.remove(a, b);
                bits.clear(a, b);
            } else {
                set.add(a, b);
                bits.set(a, b);
            }
        }
        for (int v = 0; v < 560; v++) {
            assertThat(set.contains(v)).as("value %d", v).isEqualTo(bits.get(v));
            if (bits.get(v)) {
                assertThat(set.contiguousEnd(v)).isEqualTo(bits.nextClearBit(v));
            }
        }
    }

    @Test
    void replayWindowAcceptsEachNumberOnceAndForgetsTheAncient() {
        ReplayWindow w = new ReplayWindow();
        List<Long> order = new ArrayList<>();
        for (long n = 0; n < 10_000; n++) {
            order.add(n);
        }
        java.util.Collections.shuffle(order.subList(0, 10_000), new Random(1)); // heavy reordering
        int accepted = 0;
        for (long n : order) {
            if (w.check(n)) {
                w.mark(n);
                accepted++;
            }
            assertThat(w.check(n)).as("replay of %d", n).isFalse();
        }
        assertThat(w.highest()).isEqualTo(9_999);
        assertThat(w.check(9_999 - ReplayWindow.WINDOW)).isFalse();
        assertThat(accepted).isGreaterThan(0);
        ReplayWindow inOrder = new ReplayWindow();
        for (long n = 0; n < 10_000; n += 3) {
            assertThat(inOrder.check(n)).isTrue();
            inOrder.mark(n);
        }
        assertThat(inOrder.check(9_998)).as("unseen number inside the window").isTrue();
        assertThat(inOrder.check(-1)).isFalse();
    }

    @Test
    void newRenoHalvesOncePerLossEventAndGrowsAgain() {
        NewReno cc = new NewReno(1200);
        long w0 = cc.window();
        cc.onAcked(1200, 10);
        assertThat(cc.window()).isEqualTo(w0 + 1200); // slow start
        cc.onLost(20, 100);
        long halved = cc.window();
        assertThat(halved).isEqualTo((w0 + 1200) / 2);
        cc.onLost(50, 110); // sent before the recovery started: same event
        assertThat(cc.window()).isEqualTo(halved);
        cc.onAcked(1200, 90); // sent before recovery: no growth
        assertThat(cc.window()).isEqualTo(halved);
        for (int i = 0; i < 100; i++) {
            cc.onAcked(1200, 200 + i);
        }
        assertThat(cc.window()).isGreaterThan(halved).isLessThan(halved + 100 * 1200); // additive, not exponential
        cc.onPersistentCongestion(1000);
        assertThat(cc.window()).isEqualTo(2400);
    }

    @Test
    void aNewPathStartsItsOwnWindowInSlowStartAndTheOldPathsLossesDoNotShrinkIt() {
        Recovery r = new Recovery();
        List<Frame> lost = new ArrayList<>();
        Recovery.FrameSink sink = new Recovery.FrameSink() {
            @Override
            public void acked(Frame frame) {
            }

            @Override
            public void lost(Frame frame) {
                lost.add(frame);
            }
        };
        long initial = r.congestionWindow();
        // the old path (a relay): a loss puts it in congestion avoidance, 8 packets stay in flight
        for (int n = 0; n < 12; n++) {
            r.onSent(new SentPacket(n, 1_000 + n, 1_200, List.of(new Frame.Ping())));
        }
        r.onAck(new Frame.Ack(0, List.of(new long[] {3, 4})), 12, 2_000_000_000L, sink); // 0 overtaken by 3 packets: lost
        r.onAck(new Frame.Ack(0, List.of(new long[] {3, 7})), 12, 2_000_000_001L, sink); // 1 and 2 too: the same loss event
        assertThat(lost).hasSize(3);
        long halved = r.congestionWindow();
        assertThat(halved).isLessThan(initial);
        assertThat(r.windowOpen()).as("5 packets in flight fill the halved window").isFalse();

        r.newPath(12); // moved direct: 7..11 still in flight on the relay
        assertThat(r.congestionWindow()).as("slow start from the initial window").isEqualTo(initial);
        lost.clear();
        for (int n = 12; n < 22; n++) {
            assertThat(r.windowOpen()).as("the old path's packets do not hold the new one back").isTrue();
            r.onSent(new SentPacket(n, 3_000_000_000L + n, 1_200, List.of(new Frame.Ping())));
        }
        r.onAck(new Frame.Ack(0, List.of(new long[] {12, 22})), 22, 3_100_000_000L, sink); // the new path's acks overtake 7..11
        assertThat(lost).as("the overtaken packets go again").hasSize(5);
        assertThat(r.congestionWindow()).as("grown in slow start, not halved by the old path's losses")
                .isEqualTo(initial + 10 * 1_200);
        r.onAck(new Frame.Ack(0, List.of(new long[] {7, 12})), 22, 3_200_000_000L, sink); // late relay acks: nothing breaks
        assertThat(r.inFlight()).isFalse();
        assertThat(r.congestionWindow()).isEqualTo(initial + 10 * 1_200);
    }

    private record FrameCase(int size, long seed) {
    }

    @Test
    void frameCodecRoundTripsAndRejectsGarbage() {
        RandomCases.forAll(List.of(new FrameCase(0, 0), new FrameCase(1100, -1)), 300,
                r -> new FrameCase(RandomCases.ints(r, 0, 1100), RandomCases.longs(r)),
                c -> frameCodecRoundTripsAndRejectsGarbage(c.size(), c.seed()));
    }

    private static void frameCodecRoundTripsAndRejectsGarbage(int size, long seed) {
        Random r = new Random(seed);
        byte[] data = new byte[size];
        r.nextBytes(data);
        List<Frame> frames = List.of(new Frame.Stream(r.nextInt(1000), r.nextInt(1 << 30), r.nextBoolean(), data),
                new Frame.Ack(r.nextInt(5000), List.of(new long[] {10, 20}, new long[] {3, 5})),
                new Frame.MaxStreamData(4, 1 << 20), new Frame.Ping(), new Frame.Close(0));
        ByteBuffer b = ByteBuffer.allocate(2000);
        int expected = 0;
        for (Frame f : frames) {
            FrameCodec.encode(f, b);
            expected += FrameCodec.size(f);
        }
        assertThat(b.position()).isEqualTo(expected);
        b.flip();
        List<Frame> back = FrameCodec.decode(b);
        assertThat(back).hasSize(frames.size());
        assertThat(((Frame.Stream) back.get(0)).data()).isEqualTo(data);
        byte[] junk = new byte[r.nextInt(64)];
        r.nextBytes(junk);
        try {
            FrameCodec.decode(ByteBuffer.wrap(junk));
        } catch (IllegalArgumentException expectedForGarbage) {
            // malformed input is rejected with IllegalArgumentException and nothing else
        }
    }
}
