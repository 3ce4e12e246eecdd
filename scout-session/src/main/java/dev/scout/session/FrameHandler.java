package dev.scout.session;

import dev.scout.session.transport.AckTracker;
import dev.scout.session.transport.Frame;
import dev.scout.session.transport.Messages;
import dev.scout.session.transport.PacketProtection;
import dev.scout.session.transport.Recovery;

/**
 * What each frame does to a {@link Connection}: a received frame is acted on ({@link #handle}); a sent
 * one that was acknowledged or lost updates the streams and messages, or goes again. Loop thread only.
 */
final class FrameHandler implements Recovery.FrameSink {
    private final Connection connection;
    private final AckTracker acks;
    private final Recovery recovery;
    private final PacketProtection protection;
    private final StreamSet streams;
    private final Arrivals arrivals;
    private final Messages messages;
    private final PacketSender sender;

    FrameHandler(Connection connection, AckTracker acks, Recovery recovery, PacketProtection protection, StreamSet streams,
                 Arrivals arrivals, Messages messages, PacketSender sender) {
        this.connection = connection;
        this.acks = acks;
        this.recovery = recovery;
        this.protection = protection;
        this.streams = streams;
        this.arrivals = arrivals;
        this.messages = messages;
        this.sender = sender;
    }

    /** Acts on one frame; false if it could not be kept (stream bytes over the budget, too many messages waiting). */
    boolean handle(Frame f, long now) {
        if (f instanceof Frame.Ack a) {
            recovery.onAck(a, protection.nextNumber(), now, this);
            connection.checkDrained();
        } else if (f instanceof Frame.Stream s) {
            String problem = streams.onPeerData(s, connection, arrivals);
            if (problem == StreamImpl.NO_ROOM) {
                return false;
            } else if (problem != null) {
                connection.fail(problem);
            }
        } else if (f instanceof Frame.MaxStreams m) {
            streams.onMaxStreams(m.count());
        } else if (f instanceof Frame.Candidates c) {
            connection.pathSwitch.onCandidates(c.addresses(), now);
        } else if (f instanceof Frame.MaxStreamData m) {
            StreamImpl stream = streams.get(m.streamId());
            if (stream != null) {
                stream.onMaxStreamData(m.maxOffset());
                connection.wakeSender();
            }
        } else if (f instanceof Frame.Message m) {
            if (!messages.receive(m, arrivals::message)) {
                return false; // the application is behind: not acknowledged, sent again later
            }
        } else if (f instanceof Frame.Close c) {
            acks.urgent(now);
            connection.flush(); // acknowledge the close before forgetting the session
            // Code 1: the peer ended it at once, e.g. it takes no incoming sessions (no listener).
            if (c.code() != 0) {
                connection.endedByPeer(new SessionException("the peer ended the session abnormally (code " + c.code()
                        + ": it refused it, e.g. it takes no incoming sessions, or its endpoint closed)"));
            } else {
                connection.terminate(null);
            }
        }
        return true;
    }

    @Override
    public void acked(Frame f) {
        if (f instanceof Frame.Stream s) {
            streams.acked(s);
        } else if (f instanceof Frame.Message m) {
            messages.acked(m.id(), sender::queue);
        } else if (f instanceof Frame.Close && connection.closing()) {
            connection.terminate(null);
        }
    }

    @Override
    public void lost(Frame f) {
        if (f instanceof Frame.Stream s) {
            streams.lost(s);
        } else if (f instanceof Frame.MaxStreamData m) {
            streams.windowUpdate(m.streamId());
        } else if (f instanceof Frame.MaxStreams) {
            streams.grantLost();
        } else if (f instanceof Frame.Message || f instanceof Frame.Close || f instanceof Frame.Candidates) {
            sender.queue(f);
        }
    }
}
