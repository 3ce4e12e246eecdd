package dev.scout.session;

import dev.scout.session.stream.BufferBudget;
import dev.scout.session.transport.Frame;
import dev.scout.session.transport.FrameCodec;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The streams of one session: numbering (even ids opened by the initiator, odd by the responder),
 * streams the peer opens, pending window updates, and filling packets with stream frames.
 * {@link #open} runs on application threads; the rest on the session loop.
 *
 * <p>Open streams are limited as in QUIC: each side may open stream numbers (id / 2) below the
 * allowance the other granted, {@value #PEER_STREAMS} at first; each time a stream the peer opened
 * has {@linkplain StreamImpl#finished() finished} it is forgotten and the allowance grows by one
 * ({@code MAX_STREAMS}). So at most {@value #PEER_STREAMS} peer streams are open at once, a peer that
 * opens one more has broken the protocol, and our own {@link #open} beyond the allowance fails at
 * once. Opening a number opens the lower ones too (their first frames may still be on the way).
 */
final class StreamSet {
    /** Streams each side may have open at the other at once. */
    static final int PEER_STREAMS = 256;

    private final Map<Integer, StreamImpl> streams = new ConcurrentHashMap<>();
    private final Set<Integer> windowUpdates = new LinkedHashSet<>();
    private final boolean initiator;
    private final BufferBudget budget;
    // ours (application threads, under this monitor; the allowance is written by the loop)
    private int nextLocal;
    private volatile long allowance = PEER_STREAMS;
    // the peer's (loop thread)
    private long nextPeer;
    private long peerForgotten;
    private boolean grantPending;

    StreamSet(boolean initiator, BufferBudget budget) {
        this.initiator = initiator;
        this.budget = budget;
    }

    synchronized StreamImpl open(Connection owner) throws SessionException {
        if (nextLocal >= allowance) {
            throw new SessionException("the peer allows " + PEER_STREAMS
                    + " open streams and all of them are in use; it allows more as they end");
        }
        StreamImpl s = new StreamImpl(id(nextLocal++, initiator), owner, budget);
        streams.put(s.id(), s);
        return s;
    }

    StreamImpl get(int id) {
        return streams.get(id);
    }

    /** What the peer did wrong by sending a frame on stream {@code id}, or null. */
    String violation(int id) {
        if (id >= 0 && peerOpened(id) && (id >>> 1) >= granted()) {
            return "peer opened stream " + id + " beyond the " + PEER_STREAMS + " open streams it may have";
        }
        return null;
    }

    /**
     * The stream a peer frame names: a new one (passed to {@code arrivals}, with any lower-numbered
     * ones not seen yet) if the peer opens it; null if it is gone or not the peer's to open.
     */
    StreamImpl forPeerFrame(int id, Connection owner, Arrivals arrivals) {
        StreamImpl s = streams.get(id);
        if (s != null || id < 0 || !peerOpened(id) || (id >>> 1) < nextPeer || (id >>> 1) >= granted()) {
            return s; // null for a stream already forgotten: a late copy of its frames
        }
        while (nextPeer <= (id >>> 1)) {
            StreamImpl opened = new StreamImpl(id(nextPeer++, !initiator), owner, budget);
            streams.put(opened.id(), opened);
            arrivals.stream(opened);
        }
        return streams.get(id);
    }

    /**
     * A peer's STREAM frame: null if stored (or a late copy for a forgotten stream),
     * {@link StreamImpl#NO_ROOM} if the budget cannot hold it, else what the peer did wrong.
     */
    String onPeerData(Frame.Stream f, Connection owner, Arrivals arrivals) {
        String violation = violation(f.streamId());
        StreamImpl s = violation == null ? forPeerFrame(f.streamId(), owner, arrivals) : null;
        if (s == null) {
            return violation;
        }
        String problem = s.onData(f.offset(), f.data(), f.fin());
        if (problem == null) {
            reap(s);
        }
        return problem;
    }

    /** Forgets {@code s} if both its directions are over, giving its buffers back. */
    void reap(StreamImpl s) {
        if (!s.finished() || !streams.remove(s.id(), s)) {
            return;
        }
        s.release();
        if (peerOpened(s.id())) {
            peerForgotten++;
            grantPending = true;
        }
    }

    /** The peer's {@code MAX_STREAMS}: we may open stream numbers below {@code count}. */
    void onMaxStreams(long count) {
        if (count > allowance) {
            allowance = count;
        }
    }

    /** Our last {@code MAX_STREAMS} was lost: send the current allowance again. */
    void grantLost() {
        grantPending = true;
    }

    void windowUpdate(int id) {
        windowUpdates.add(id);
    }

    void acked(Frame.Stream f) {
        StreamImpl s = streams.get(f.streamId());
        if (s != null) {
            s.onAcked(f.offset(), f.data().length, f.fin());
            reap(s);
        }
    }

    void lost(Frame.Stream f) {
        StreamImpl s = streams.get(f.streamId());
        if (s != null) {
            s.onLost(f.offset(), f.data().length, f.fin());
        }
    }

    boolean wantToSend() {
        return grantPending || !windowUpdates.isEmpty() || streams.values().stream().anyMatch(StreamImpl::wantsToSend);
    }

    boolean allAcked() {
        return streams.values().stream().allMatch(StreamImpl::allAcked);
    }

    int size() {
        return streams.size();
    }

    /** Bytes the receive buffers of this session hold against its budget. */
    long buffered() {
        return budget.reserved();
    }

    /** Adds the allowance, window updates and (if {@code data}) stream chunks within {@code room} bytes; returns what is left. */
    int fill(java.util.List<Frame> frames, int room, boolean data) {
        if (grantPending && room >= 9) {
            Frame f = new Frame.MaxStreams(granted());
            frames.add(f);
            room -= FrameCodec.size(f);
            grantPending = false;
        }
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

    /** Ends every stream with {@code e}; the session's budget goes back to the endpoint. */
    void failAll(SessionException e) {
        for (StreamImpl s : streams.values()) {
            s.fail(e);
        }
        budget.detach();
    }

    private long granted() {
        return peerForgotten + PEER_STREAMS;
    }

    private boolean peerOpened(int id) {
        return (id & 1) == (initiator ? 1 : 0);
    }

    private static int id(long number, boolean byInitiator) {
        return (int) (number * 2 + (byInitiator ? 0 : 1));
    }
}
