package dev.scout.session;

import dev.scout.core.crypto.PublicKey;
import dev.scout.session.internal.Frame;
import dev.scout.session.internal.FrameCodec;
import dev.scout.session.internal.NoiseCipher;
import dev.scout.session.internal.RangeSet;
import dev.scout.session.internal.ReplayWindow;
import dev.scout.session.internal.Wire;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One established session: encrypts and decrypts DATA packets, acknowledges, recovers losses and
 * multiplexes streams and messages. Packet-level state is touched only on the endpoint's loop
 * thread; application threads reach it through {@link SessionEndpoint#runOnLoop}.
 */
final class Connection implements Session, Recovery.FrameSink {
    private static final int MAX_PEER_STREAMS = 256;
    private static final int MAX_HELD_MESSAGES = 256;
    private static final int MAX_PACKETS_PER_FLUSH = 64;

    private enum State { OPEN, CLOSING, CLOSED }

    final long localId;
    final long remoteId;
    private final SessionEndpoint endpoint;
    private final PublicKey peer;
    private final boolean initiator;
    private final NoiseCipher sendCipher;
    private final NoiseCipher recvCipher;
    private volatile InetSocketAddress remote;

    // loop-only state
    private long nextPacketNumber;
    private final ReplayWindow replay = new ReplayWindow();
    private final RangeSet receivedNumbers = new RangeSet();
    private int unackedEliciting;
    private long ackDeadline = Recovery.NEVER;
    private long largestReceivedAt;
    private final Recovery recovery = new Recovery();
    private final ArrayDeque<Frame> control = new ArrayDeque<>();
    private final Set<Integer> windowUpdates = new LinkedHashSet<>();
    private final ReplayWindow seenMessages = new ReplayWindow();
    private long nextMessageId;
    private long lastReceive;
    private long closingDeadline = Recovery.NEVER;
    private boolean probeDue;
    private boolean confirmed;
    private volatile State state = State.OPEN;
    private long scheduledFor = Recovery.NEVER;
    private final byte[] plain = new byte[Wire.MAX_PLAINTEXT];

    // shared with application threads
    private final Map<Integer, StreamImpl> streams = new ConcurrentHashMap<>();
    private final AtomicInteger nextStreamId;
    private final ArrayDeque<StreamImpl> incoming = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<SessionStream>> acceptors = new ArrayDeque<>();
    private final ArrayDeque<byte[]> heldMessages = new ArrayDeque<>();
    private Consumer<byte[]> messageListener;
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private CompletableFuture<Void> drainWaiter;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    // handshake bookkeeping for the responder (duplicate initiations get the same answer)
    byte[] cachedResponse;
    byte[] initiatorEphemeral;
    CompletableFuture<Session> mergedConnect;

    Connection(SessionEndpoint endpoint, long localId, long remoteId, PublicKey peer, InetSocketAddress remote,
            boolean initiator, NoiseCipher[] ciphers, long now) {
        this.endpoint = endpoint;
        this.localId = localId;
        this.remoteId = remoteId;
        this.peer = peer;
        this.remote = remote;
        this.initiator = initiator;
        this.sendCipher = ciphers[0];
        this.recvCipher = ciphers[1];
        this.nextStreamId = new AtomicInteger(initiator ? 0 : 1);
        this.lastReceive = now;
        // The initiator has key confirmation from message 2; the responder waits for the first DATA.
        this.confirmed = initiator;
    }

    // ---- Session API (any thread)

    @Override
    public PublicKey peer() {
        return peer;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public boolean initiator() {
        return initiator;
    }

    @Override
    public SessionStream openStream() throws SessionException {
        requireOpen();
        StreamImpl s = new StreamImpl(nextStreamId.getAndAdd(2), this);
        streams.put(s.id(), s);
        return s;
    }

    @Override
    public CompletableFuture<SessionStream> acceptStream() {
        CompletableFuture<SessionStream> f = new CompletableFuture<>();
        synchronized (incoming) {
            StreamImpl s = incoming.poll();
            if (s != null) {
                f.complete(s);
            } else if (closed.isDone()) {
                f.completeExceptionally(new SessionException("session with " + peer + " is closed"));
            } else {
                acceptors.add(f);
            }
        }
        return f;
    }

    @Override
    public void sendMessage(byte[] message) throws SessionException {
        if (message.length > MAX_MESSAGE) {
            throw new SessionException("message of " + message.length + " bytes exceeds the limit of " + MAX_MESSAGE);
        }
        requireOpen();
        byte[] copy = message.clone();
        endpoint.runOnLoop(() -> {
            control.add(new Frame.Message(nextMessageId++, copy));
            flush();
        });
    }

    @Override
    public void onMessage(Consumer<byte[]> listener) {
        synchronized (heldMessages) {
            messageListener = listener;
            byte[] m;
            while ((m = heldMessages.poll()) != null) {
                byte[] msg = m;
                endpoint.callback(() -> listener.accept(msg));
            }
        }
    }

    @Override
    public CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public void close() {
        if (closed.isDone()) {
            return;
        }
        CompletableFuture<Void> drained = new CompletableFuture<>();
        endpoint.runOnLoop(() -> {
            drainWaiter = drained;
            checkDrained();
        });
        try {
            CompletableFuture.anyOf(drained, closed).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // not everything was acknowledged in time: close anyway
        }
        endpoint.runOnLoop(() -> {
            if (state == State.OPEN) {
                state = State.CLOSING;
                control.add(new Frame.Close(0));
                closingDeadline = endpoint.now() + Math.max(3 * recovery.smoothedRtt(), 1_000_000_000L);
                flush();
                reschedule();
            }
        });
        try {
            closed.get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            endpoint.runOnLoop(() -> terminate(null));
        }
    }

    private void requireOpen() throws SessionException {
        if (state != State.OPEN) {
            throw new SessionException("session with " + peer + " is closed");
        }
    }

    // ---- from streams (application threads)

    void wakeSender() {
        if (wakeQueued.compareAndSet(false, true)) {
            endpoint.runOnLoop(() -> {
                wakeQueued.set(false);
                flush();
            });
        }
    }

    void requestWindowUpdate(StreamImpl s) {
        endpoint.runOnLoop(() -> {
            windowUpdates.add(s.id());
            flush();
        });
    }

    // ---- loop thread

    boolean confirmed() {
        return confirmed;
    }

    /** Initiator: the first DATA packet, which confirms the keys to the responder. */
    void sendConfirmation() {
        control.add(new Frame.Ping());
        flush();
    }

    /** Tells the peer (once, best effort) and ends the session with {@code reason}. */
    void abort(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        control.add(new Frame.Close(1));
        probeDue = true;
        flush();
        fail(reason);
    }

    /** An authenticated-or-not DATA datagram addressed to our connection id. */
    void onDatagram(byte[] b, InetSocketAddress from, long now) {
        if (state == State.CLOSED) {
            return;
        }
        long pn = Wire.getLong(b, 9);
        if (!replay.check(pn)) {
            return; // replayed or too old
        }
        int length;
        try {
            byte[] ad = java.util.Arrays.copyOf(b, Wire.DATA_HEADER);
            length = recvCipher.decrypt(pn, ad, b, Wire.DATA_HEADER, b.length - Wire.DATA_HEADER, plain, 0);
        } catch (GeneralSecurityException e) {
            return; // tampered or not ours: dropped without a trace in our state
        }
        List<Frame> frames;
        try {
            frames = FrameCodec.decode(ByteBuffer.wrap(plain, 0, length));
        } catch (IllegalArgumentException e) {
            fail("peer sent a malformed packet: " + e.getMessage());
            return;
        }
        replay.mark(pn);
        lastReceive = now;
        if (pn == replay.highest()) {
            remote = from; // follow the peer across NAT rebinding
        }
        receivedNumbers.add(pn, pn + 1);
        receivedNumbers.keepHighest(FrameCodec.MAX_ACK_RANGES);
        if (!confirmed) {
            confirmed = true;
            endpoint.onConfirmed(this);
        }
        boolean eliciting = false;
        for (Frame f : frames) {
            eliciting |= f.ackEliciting();
            handle(f, now);
            if (state == State.CLOSED) {
                return;
            }
        }
        if (eliciting) {
            unackedEliciting++;
            largestReceivedAt = now;
            ackDeadline = unackedEliciting >= 2 ? now : Math.min(ackDeadline, now + Recovery.MAX_ACK_DELAY);
        }
        flush();
    }

    private void handle(Frame f, long now) {
        if (f instanceof Frame.Ack a) {
            recovery.onAck(a, nextPacketNumber, now, this);
            checkDrained();
        } else if (f instanceof Frame.Stream s) {
            StreamImpl stream = streamFor(s.streamId());
            if (stream != null && !stream.onData(s.offset(), s.data(), s.fin())) {
                fail("peer exceeded the flow-control window of stream " + s.streamId());
            }
        } else if (f instanceof Frame.MaxStreamData m) {
            StreamImpl stream = streams.get(m.streamId());
            if (stream != null) {
                stream.onMaxStreamData(m.maxOffset());
                wakeSender();
            }
        } else if (f instanceof Frame.Message m) {
            if (seenMessages.check(m.id())) {
                seenMessages.mark(m.id());
                deliver(m.data());
            }
        } else if (f instanceof Frame.Close) {
            ackDeadline = now;
            unackedEliciting++;
            flush(); // acknowledge the close before forgetting the session
            terminate(null);
        }
    }

    /** The stream for an id; a new one if the peer opens it, null if it is ours and unknown. */
    private StreamImpl streamFor(int id) {
        StreamImpl s = streams.get(id);
        boolean peerOpened = (id & 1) == (initiator ? 1 : 0);
        if (s != null || !peerOpened || id < 0 || streams.size() >= MAX_PEER_STREAMS) {
            return s;
        }
        s = new StreamImpl(id, this);
        streams.put(id, s);
        synchronized (incoming) {
            CompletableFuture<SessionStream> waiter = acceptors.poll();
            if (waiter != null) {
                StreamImpl accepted = s;
                endpoint.callback(() -> waiter.complete(accepted));
            } else {
                incoming.add(s);
            }
        }
        return s;
    }

    private void deliver(byte[] message) {
        synchronized (heldMessages) {
            Consumer<byte[]> l = messageListener;
            if (l != null) {
                endpoint.callback(() -> l.accept(message));
            } else if (heldMessages.size() < MAX_HELD_MESSAGES) {
                heldMessages.add(message);
            }
        }
    }

    @Override
    public void acked(Frame f) {
        if (f instanceof Frame.Stream s) {
            StreamImpl stream = streams.get(s.streamId());
            if (stream != null) {
                stream.onAcked(s.offset(), s.data().length, s.fin());
            }
        } else if (f instanceof Frame.Close && state == State.CLOSING) {
            terminate(null);
        }
    }

    @Override
    public void lost(Frame f) {
        if (f instanceof Frame.Stream s) {
            StreamImpl stream = streams.get(s.streamId());
            if (stream != null) {
                stream.onLost(s.offset(), s.data().length, s.fin());
            }
        } else if (f instanceof Frame.MaxStreamData m) {
            windowUpdates.add(m.streamId());
        } else if (f instanceof Frame.Message || f instanceof Frame.Close) {
            control.add(f);
        }
    }

    /** Timers: idle timeout, closing, loss/probe, delayed ack, keep-alive. */
    void onTimer(long now) {
        scheduledFor = Recovery.NEVER;
        if (state == State.CLOSED) {
            return;
        }
        long idle = endpoint.config().idleTimeout().toNanos();
        if (now - lastReceive >= idle) {
            fail("peer silent for " + endpoint.config().idleTimeout().toSeconds() + " s");
            return;
        }
        if (now >= closingDeadline) {
            terminate(null);
            return;
        }
        if (recovery.deadline() <= now && recovery.onTimeout(now, this)) {
            probeDue = true;
            if (control.isEmpty() && windowUpdates.isEmpty() && streams.values().stream().noneMatch(StreamImpl::wantsToSend)) {
                control.add(new Frame.Ping());
            }
        }
        if (state == State.OPEN && confirmed && !recovery.inFlight()
                && now - Math.max(recovery.lastElicitingSent(), lastReceive) >= endpoint.config().keepAlive().toNanos()) {
            control.add(new Frame.Ping());
        }
        flush();
    }

    /** Sends what is due: an ack, control frames, stream data within the congestion window. */
    void flush() {
        if (state == State.CLOSED) {
            return;
        }
        long now = endpoint.now();
        for (int n = 0; n < MAX_PACKETS_PER_FLUSH; n++) {
            List<Frame> frames = new ArrayList<>();
            int room = Wire.MAX_PLAINTEXT;
            boolean ackDue = unackedEliciting > 0 && now >= ackDeadline;
            if (unackedEliciting > 0 && (ackDue || recovery.windowOpen() || probeDue)) {
                Frame.Ack ack = new Frame.Ack((now - largestReceivedAt) / 1_000, receivedNumbers.descending(8));
                frames.add(ack);
                room -= FrameCodec.size(ack);
            }
            if (recovery.windowOpen() || probeDue) {
                room = fillEliciting(frames, room);
            }
            boolean eliciting = frames.stream().anyMatch(Frame::ackEliciting);
            if (!eliciting && !ackDue) {
                break;
            }
            send(frames, eliciting, now);
            if (eliciting) {
                probeDue = false;
            }
        }
        reschedule();
    }

    private int fillEliciting(List<Frame> frames, int room) {
        while (!control.isEmpty() && FrameCodec.size(control.peek()) <= room) {
            Frame f = control.poll();
            frames.add(f);
            room -= FrameCodec.size(f);
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
        if (state != State.OPEN) {
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

    private void send(List<Frame> frames, boolean eliciting, long now) {
        ByteBuffer buf = ByteBuffer.wrap(plain);
        for (Frame f : frames) {
            FrameCodec.encode(f, buf);
            if (f instanceof Frame.Ack) {
                unackedEliciting = 0;
                ackDeadline = Recovery.NEVER;
            }
        }
        long pn = nextPacketNumber++;
        byte[] out = new byte[Wire.DATA_HEADER + buf.position() + NoiseCipher.TAG_BYTES];
        out[0] = Wire.DATA;
        Wire.putLong(out, 1, remoteId);
        Wire.putLong(out, 9, pn);
        byte[] ad = java.util.Arrays.copyOf(out, Wire.DATA_HEADER);
        sendCipher.encrypt(pn, ad, plain, 0, buf.position(), out, Wire.DATA_HEADER);
        if (eliciting) {
            List<Frame> kept = new ArrayList<>(frames.size());
            for (Frame f : frames) {
                if (!(f instanceof Frame.Ack)) {
                    kept.add(f);
                }
            }
            recovery.onSent(new SentPacket(pn, now, out.length, kept));
        }
        endpoint.transmit(out, remote);
    }

    private void checkDrained() {
        if (drainWaiter != null && streams.values().stream().allMatch(StreamImpl::allAcked)) {
            drainWaiter.complete(null);
        }
    }

    private void reschedule() {
        if (state == State.CLOSED) {
            return;
        }
        long next = Math.min(Math.min(ackDeadline, recovery.deadline()), closingDeadline);
        next = Math.min(next, lastReceive + endpoint.config().idleTimeout().toNanos());
        if (confirmed && state == State.OPEN && !recovery.inFlight()) {
            next = Math.min(next, Math.max(recovery.lastElicitingSent(), lastReceive) + endpoint.config().keepAlive().toNanos());
        }
        if (next < scheduledFor) {
            scheduledFor = next;
            endpoint.schedule(this, next);
        }
    }

    /** Ends the session with an error (idle timeout, protocol violation, endpoint closing). */
    void fail(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        terminate(new SessionException(reason + " (session with " + peer + ")"));
    }

    private void terminate(SessionException error) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        SessionException streamError = error != null ? error : new SessionException("session with " + peer + " closed");
        for (StreamImpl s : streams.values()) {
            s.fail(streamError);
        }
        synchronized (incoming) {
            for (CompletableFuture<SessionStream> f : acceptors) {
                endpoint.callback(() -> f.completeExceptionally(streamError));
            }
            acceptors.clear();
        }
        endpoint.forget(this);
        if (drainWaiter != null) {
            drainWaiter.complete(null);
        }
        endpoint.callback(() -> {
            if (error == null) {
                closed.complete(null);
            } else {
                closed.completeExceptionally(error);
            }
        });
    }

    /** Congestion window and smoothed RTT, for diagnostics. */
    @Override
    public String toString() {
        return "Session[peer=" + peer + ", remote=" + remote + ", cwnd=" + recovery.congestionWindow()
                + ", srtt=" + recovery.smoothedRtt() / 1_000 + " us]";
    }
}
