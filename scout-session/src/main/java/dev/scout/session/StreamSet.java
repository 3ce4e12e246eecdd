package dev.scout.session;

import dev.scout.session.internal.Frame;
import dev.scout.session.internal.FrameCodec;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The streams of one session: numbering (even ids opened by the initiator, odd by the responder),
 * streams the peer opens, pending window updates, and filling packets with stream frames.
 * {@link #open} runs on application threads; the rest on the session loop.
 */
final class StreamSet {
    private static final int MAX_PEER_STREAMS = 256;

    private final Map<Integer, StreamImpl> streams = new ConcurrentHashMap<>();
    private final Set<Integer> windowUpdates = new LinkedHashSet<>();
    private final AtomicInteger nextId;
    private final boolean initiator;

    StreamSet(boolean initiator) {
        this.initiator = initiator;
        this.nextId = new AtomicInteger(initiator ? 0 : 1);
    }

    StreamImpl open(Connection owner) {
        StreamImpl s = new StreamImpl(nextId.getAndAdd(2), owner);
        streams.put(s.id(), s);
        return s;
    }

    StreamImpl get(int id) {
        return streams.get(id);
    }

    /** The stream a peer frame names; a new one (passed to {@code arrivals}) if the peer opens it. */
    StreamImpl forPeerFrame(int id, Connection owner, Arrivals arrivals) {
        StreamImpl s = streams.get(id);
        boolean peerOpened = (id & 1) == (initiator ? 1 : 0);
        if (s != null || !peerOpened || id < 0 || streams.size() >= MAX_PEER_STREAMS) {
            return s;
        }
        s = new StreamImpl(id, owner);
        streams.put(id, s);
        arrivals.stream(s);
        return s;
    }

    void windowUpdate(int id) {
        windowUpdates.add(id);
    }

    void acked(Frame.Stream f) {
        StreamImpl s = streams.get(f.streamId());
        if (s != null) {
            s.onAcked(f.offset(), f.data().length, f.fin());
        }
    }

    void lost(Frame.Stream f) {
        StreamImpl s = streams.get(f.streamId());
        if (s != null) {
            s.onLost(f.offset(), f.data().length, f.fin());
        }
    }

    boolean wantToSend() {
        return !windowUpdates.isEmpty() || streams.values().stream().anyMatch(StreamImpl::wantsToSend);
    }

    boolean allAcked() {
        return streams.values().stream().allMatch(StreamImpl::allAcked);
    }

    /** Adds window updates and (if {@code data}) stream chunks within {@code room} bytes; returns what is left. */
    int fill(java.util.List<Frame> frames, int room, boolean data) {
        var it = windowUpdates.iterator();
        while (it.hasNext() && room >= 13) {
            StreamImpl s = streams.get(it.next());
            it.remove();
            if (s != null) {
                Frame f = new Frame.MaxStreamData(s.id(), s.windowUpdate());
                frames.add(f);
                room -= FrameCodec.size(f);
            }
        }
        if (!data) {
            return room;
        }
        for (StreamImpl s : streams.values()) {
            while (room > FrameCodec.STREAM_OVERHEAD) {
                Frame.Stream chunk = s.nextChunk(room - FrameCodec.STREAM_OVERHEAD);
                if (chunk == null) {
                    break;
                }
                frames.add(chunk);
                room -= FrameCodec.size(chunk);
            }
        }
        return room;
    }

    void failAll(SessionException e) {
        for (StreamImpl s : streams.values()) {
            s.fail(e);
        }
    }
}
