package dev.scout.session.transport;

import dev.scout.session.handshake.Wire;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Loss detection and congestion control for one session, after RFC 9002: packets in flight by
 * number; an ack removes what it covers, samples the RTT and grows the window; a packet is lost
 * when three later ones were acked or 9/8 RTT passed since a later one was; a probe timeout
 * (srtt + 4·rttvar + ack delay, doubling) re-sends the oldest packet's frames when acks stop.
 * Runs on the session loop only.
 */
public final class Recovery {
    public static final long NEVER = Long.MAX_VALUE;
    public static final long MAX_ACK_DELAY = 5_000_000L;
    private static final int PACKET_THRESHOLD = 3;

    /** Where frames of acknowledged and lost packets go. */
    public interface FrameSink {
        void acked(Frame frame);

        void lost(Frame frame);
    }

    private final TreeMap<Long, SentPacket> sent = new TreeMap<>();
    private final RttEstimator rtt = new RttEstimator();
    private final NewReno cc = new NewReno(Wire.MAX_DATAGRAM);
    private long bytesInFlight;
    private long largestAcked = -1;
    private long lossTime = NEVER;
    private int ptoCount;
    private long lastElicitingSent;
    /**
     * Packets numbered below this went on an earlier path ({@link #newPath}): they are still acked, lost
     * and re-sent, but no longer count in flight nor for the current path's window or RTT.
     */
    private long pathStart;

    public void onSent(SentPacket p) {
        sent.put(p.number(), p);
        bytesInFlight += p.size();
        lastElicitingSent = p.sentAt();
    }

    /** Whether the congestion window admits another full datagram. */
    public boolean windowOpen() {
        return bytesInFlight + Wire.MAX_DATAGRAM <= cc.window();
    }

    public boolean inFlight() {
        return !sent.isEmpty();
    }

    public long lastElicitingSent() {
        return lastElicitingSent;
    }

    public long congestionWindow() {
        return cc.window();
    }

    public long smoothedRtt() {
        return rtt.smoothed();
    }

    /** Processes an ack; acks of numbers never sent are ignored. */
    public void onAck(Frame.Ack ack, long nextPacketNumber, long now, FrameSink sink) {
        long largest = ack.ranges().get(0)[1] - 1;
        if (largest >= nextPacketNumber) {
            return;
        }
        SentPacket newestAcked = null;
        for (long[] r : ack.ranges()) {
            Iterator<Map.Entry<Long, SentPacket>> it = sent.subMap(r[0], r[1]).entrySet().iterator();
            while (it.hasNext()) {
                SentPacket p = it.next().getValue();
                it.remove();
                if (p.number() >= pathStart) {
                    bytesInFlight -= p.size();
                    cc.onAcked(p.size(), p.sentAt());
                }
                if (newestAcked == null || p.number() > newestAcked.number()) {
                    newestAcked = p;
                }
                for (Frame f : p.frames()) {
                    sink.acked(f);
                }
            }
        }
        if (newestAcked == null) {
            return;
        }
        if (newestAcked.number() == largest && largest >= pathStart) {
            rtt.sample(now - newestAcked.sentAt(), Math.min(ack.delayMicros() * 1_000, MAX_ACK_DELAY));
        }
        largestAcked = Math.max(largestAcked, largest);
        ptoCount = 0;
        detectLosses(now, sink);
    }

    private void detectLosses(long now, FrameSink sink) {
        lossTime = NEVER;
        long lossDelay = rtt.lossDelay();
        Iterator<SentPacket> it = sent.headMap(largestAcked).values().iterator();
        while (it.hasNext()) {
            SentPacket p = it.next();
            if (largestAcked - p.number() >= PACKET_THRESHOLD || p.sentAt() <= now - lossDelay) {
                it.remove();
                if (p.number() >= pathStart) {
                    bytesInFlight -= p.size();
                    cc.onLost(p.sentAt(), now); // an earlier path's packet overtaken by the new path's says nothing of it
                }
                for (Frame f : p.frames()) {
                    sink.lost(f);
                }
            } else {
                lossTime = Math.min(lossTime, p.sentAt() + lossDelay);
            }
        }
    }

    /** When {@link #onTimeout} must run next. */
    public long deadline() {
        if (lossTime != NEVER) {
            return lossTime;
        }
        if (sent.isEmpty()) {
            return NEVER;
        }
        return lastElicitingSent + (rtt.probeTimeout(MAX_ACK_DELAY) << Math.min(ptoCount, 6));
    }

    /**
     * Handles a loss-time or probe timeout. Returns true if a probe is due (one packet may then be
     * sent regardless of the congestion window).
     */
    public boolean onTimeout(long now, FrameSink sink) {
        if (lossTime != NEVER) {
            if (now >= lossTime) {
                detectLosses(now, sink);
            }
            return false;
        }
        if (sent.isEmpty() || now < deadline()) {
            return false;
        }
        ptoCount++;
        if (ptoCount >= 3) {
            cc.onPersistentCongestion(now);
        }
        // Retransmit the oldest packet's frames in a new packet; no window cut for a single timeout.
        SentPacket oldest = sent.pollFirstEntry().getValue();
        if (oldest.number() >= pathStart) {
            bytesInFlight -= oldest.size();
        }
        for (Frame f : oldest.frames()) {
            sink.lost(f);
        }
        return true;
    }

    /**
     * The path these packets went on failed and the session moved to another: everything in flight
     * counts as lost (its frames go again on the new path at once) and the probe backoff starts over.
     */
    public void pathFailed(FrameSink sink) {
        java.util.List<SentPacket> gone = new java.util.ArrayList<>(sent.values());
        sent.clear();
        bytesInFlight = 0;
        lossTime = NEVER;
        ptoCount = 0;
        for (SentPacket p : gone) {
            for (Frame f : p.frames()) {
                sink.lost(f);
            }
        }
    }

    /**
     * The session moved to another kind of path (relay to direct, direct to relay; not from one relay route
     * to another, nor a NAT rebinding): the window starts over in slow start, as for a new connection (RFC 9000 §9.4), and what
     * is in flight on the old path no longer holds back or shrinks the new one — packets the old path
     * still delivers are acked as usual, and those the new path's acks overtake are re-sent. The RTT
     * estimate carries over and adapts within a few samples: reset to its initial 100 ms, the first probe
     * timeouts on a longer path would be spurious.
     *
     * @param nextPacketNumber the number the next packet gets (the first on the new path)
     */
    public void newPath(long nextPacketNumber) {
        pathStart = nextPacketNumber;
        bytesInFlight = 0;
        cc.reset();
        ptoCount = 0;
    }

    public int probeTimeouts() {
        return ptoCount;
    }
}
