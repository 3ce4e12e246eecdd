package dev.scout.session;

import dev.scout.session.handshake.Wire;
import dev.scout.session.transport.AckTracker;
import dev.scout.session.transport.Frame;
import dev.scout.session.transport.FrameCodec;
import dev.scout.session.transport.PacketProtection;
import dev.scout.session.transport.Recovery;
import dev.scout.session.transport.SentPacket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The sending half of a {@link Connection}: queued control frames, and packing what is due (an ack,
 * control frames, stream data within the congestion window) into sealed DATA packets. Loop thread only.
 */
final class PacketSender {
    private static final int MAX_PACKETS_PER_FLUSH = 64;

    private final AckTracker acks;
    private final Recovery recovery;
    private final StreamSet streams;
    private final PacketProtection protection;
    private final long remoteId;
    private final ArrayDeque<Frame> control = new ArrayDeque<>();
    private final byte[] plain = new byte[Wire.MAX_PLAINTEXT];
    private boolean probeDue;

    PacketSender(AckTracker acks, Recovery recovery, StreamSet streams, PacketProtection protection, long remoteId) {
        this.acks = acks;
        this.recovery = recovery;
        this.streams = streams;
        this.protection = protection;
        this.remoteId = remoteId;
    }

    /** Queues a control frame (message, close, ping, re-sent lost frame) for the next packet. */
    void queue(Frame f) {
        control.add(f);
    }

    /** Queues {@code f} ahead of everything else (a close must not wait behind queued messages). */
    void queueFirst(Frame f) {
        control.addFirst(f);
    }

    boolean noControlQueued() {
        return control.isEmpty();
    }

    /** The next flush sends one ack-eliciting packet even if the congestion window is full. */
    void probe() {
        probeDue = true;
    }

    /**
     * Sends what is due now.
     *
     * @param open whether new stream data may go (not while closing)
     * @param transmit where sealed datagrams go, with {@code remote}
     */
    void flush(long now, boolean open, InetSocketAddress remote, BiConsumer<byte[], InetSocketAddress> transmit) {
        for (int n = 0; n < MAX_PACKETS_PER_FLUSH; n++) {
            List<Frame> frames = new ArrayList<>();
            boolean ackDue = acks.due(now);
            boolean withAck = acks.pending() && (ackDue || recovery.windowOpen() || probeDue);
            int room = Wire.MAX_PLAINTEXT - (withAck ? acks.frameSize() : 0);
            if (recovery.windowOpen() || probeDue) {
                fillEliciting(frames, room, open);
            }
            boolean eliciting = !frames.isEmpty(); // every frame but an ack elicits one
            if (!eliciting && !ackDue) {
                break;
            }
            if (withAck) {
                frames.add(0, acks.take(now)); // taken only when it is really sent
            }
            transmit.accept(seal(frames, eliciting, now), remote);
            if (eliciting) {
                probeDue = false;
            }
        }
    }

    /** {@return the number the next packet gets} */
    long nextNumber() {
        return protection.nextNumber();
    }

    /**
     * A PING packet for a path probe (hole punching). Not counted in flight: probes towards a NAT that
     * has not opened yet are expected to be lost, and must not cut the window of the path in use.
     */
    byte[] sealProbe() {
        ByteBuffer buf = ByteBuffer.wrap(plain);
        FrameCodec.encode(new Frame.Ping(), buf);
        return protection.seal(remoteId, plain, buf.position());
    }

    private int fillEliciting(List<Frame> frames, int room, boolean open) {
        while (!control.isEmpty() && FrameCodec.size(control.peek()) <= room) {
            Frame f = control.poll();
            frames.add(f);
            room -= FrameCodec.size(f);
        }
        return streams.fill(frames, room, open);
    }

    private byte[] seal(List<Frame> frames, boolean eliciting, long now) {
        ByteBuffer buf = ByteBuffer.wrap(plain);
        List<Frame> kept = new ArrayList<>(frames.size());
        for (Frame f : frames) {
            FrameCodec.encode(f, buf);
            if (!(f instanceof Frame.Ack)) {
                kept.add(f);
            }
        }
        long pn = protection.nextNumber();
        byte[] out = protection.seal(remoteId, plain, buf.position());
        if (eliciting) {
            recovery.onSent(new SentPacket(pn, now, out.length, kept));
        }
        return out;
    }
}
