package dev.scout.session;

import dev.scout.dht.LimitExceededException;

import dev.scout.dht.Ed25519PublicKey;
import dev.scout.session.internal.Frame;
import dev.scout.session.internal.FrameCodec;
import dev.scout.session.internal.AckTracker;
import dev.scout.session.internal.NoiseCipher;
import dev.scout.session.internal.PacketProtection;
import dev.scout.session.internal.Wire;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One established session: encrypts and decrypts DATA packets, acknowledges, recovers losses and
 * multiplexes streams and messages. Packet-level state is touched only on the endpoint's loop
 * thread; application threads reach it through {@link SessionEndpoint#runOnLoop}.
 */
final class Connection implements Session, Recovery.FrameSink {
    private enum State { OPEN, CLOSING, CLOSED }

    /** The error that ended the session while written bytes were unacknowledged, or null. */
    private volatile SessionException unacknowledgedAtEnd;
    /** The peer refused or aborted the session (a CLOSE with a non-zero code), or null. */
    private volatile SessionException endedByPeer;

    final long localId;
    final long remoteId;
    final SessionEndpoint endpoint; // and sender, paths: PathProbes (birthday punching)
    private final Ed25519PublicKey peer;
    private final boolean initiator;
    private final PacketProtection protection;
    private volatile InetSocketAddress remote;
    private volatile Consumer<InetSocketAddress> pathListener;
    /** Hears that the relay path in use failed (PathProbes#onRelayFailing: the node names other relay routes). */
    volatile Consumer<InetSocketAddress> relayFailingListener;

    // loop-only state
    private final AckTracker acks = new AckTracker(Recovery.MAX_ACK_DELAY);
    private final Recovery recovery = new Recovery();
    final PacketSender sender;
    private final Messages messages = new Messages();
    final PathChoice paths;
    private long lastReceive;
    private long closingDeadline = Recovery.NEVER;
    private boolean confirmed;
    private long confirmedAt;
    private volatile State state = State.OPEN;
    private long scheduledFor = Recovery.NEVER;
    private final byte[] plain = new byte[Wire.MAX_PLAINTEXT];

    // shared with application threads
    private final StreamSet streams;
    private final Arrivals arrivals;
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private CompletableFuture<Void> drainWaiter;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    // handshake bookkeeping for the responder (duplicate initiations get the same answer)
    byte[] cachedResponse;
    byte[] initiatorEphemeral;
    CompletableFuture<Session> mergedConnect;

    Connection(SessionEndpoint endpoint, long localId, long remoteId, Ed25519PublicKey peer, InetSocketAddress remote,
            boolean initiator, NoiseCipher[] ciphers, long now) {
        this.endpoint = endpoint;
        this.localId = localId;
        this.remoteId = remoteId;
        this.peer = peer;
        this.remote = remote;
        this.initiator = initiator;
        this.protection = new PacketProtection(ciphers);
        this.streams = new StreamSet(initiator, new BufferBudget(BufferBudget.SESSION_LIMIT, endpoint.buffers));
        this.sender = new PacketSender(acks, recovery, streams, protection, remoteId);
        this.arrivals = new Arrivals(endpoint::callback);
        this.lastReceive = now;
        this.paths = new PathChoice(remote, now);
        // The initiator has key confirmation from message 2; the responder waits for the first DATA.
        this.confirmed = initiator;
    }

    // ---- Session API (any thread)

    @Override
    public Ed25519PublicKey peer() {
        return peer;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public void onPathChange(Consumer<InetSocketAddress> listener) {
        this.pathListener = listener;
    }

    @Override
    public boolean initiator() {
        return initiator;
    }

    @Override
    public SessionStream openStream() throws SessionException {
        requireOpen();
        return streams.open(this);
    }

    @Override
    public CompletableFuture<SessionStream> acceptStream() {
        return arrivals.accept();
    }

    @Override
    public void sendMessage(byte[] message) throws SessionException {
        if (message.length > MAX_MESSAGE) {
            throw new LimitExceededException("message of " + message.length + " bytes exceeds the limit of " + MAX_MESSAGE);
        }
        requireOpen();
        byte[] copy = message.clone();
        endpoint.runOnLoop(() -> {
            messages.send(copy, sender::queue);
            flush();
        });
    }

    @Override
    public void onMessage(Consumer<byte[]> listener) {
        arrivals.onMessage(listener);
    }

    @Override
    public CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public void close() {
        if (closed.isDone()) {
            throwIfUnacknowledged();
            return;
        }
        CompletableFuture<Void> drained = new CompletableFuture<>();
        endpoint.runOnLoop(() -> {
            drainWaiter = drained;
            checkDrained();
        });
        boolean acknowledged = true;
        try {
            CompletableFuture.anyOf(drained, closed).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            acknowledged = false; // not everything was acknowledged in time: close anyway, and say so
        }
        endpoint.runOnLoop(() -> {
            if (state == State.OPEN) {
                state = State.CLOSING;
                sender.queue(new Frame.Close(0));
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
        throwIfUnacknowledged();
        if (!acknowledged) {
            throw new SessionException("closed before " + peer + " acknowledged every byte written (10 s)");
        }
    }

    /** The peer ended the session abnormally, or written bytes were never acknowledged: not delivered. */
    private void throwIfUnacknowledged() {
        if (endedByPeer != null) {
            throw new SessionException(endedByPeer.getMessage(), endedByPeer);
        }
        SessionException e = unacknowledgedAtEnd;
        if (e != null) {
            throw new SessionException("not every byte written reached " + peer + ": " + e.getMessage(), e);
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

    /** The application read {@code s} to its end: forget it if our side is done too. */
    void streamEnded(StreamImpl s) {
        endpoint.runOnLoop(() -> {
            streams.reap(s);
            flush();
        });
    }

    void requestWindowUpdate(StreamImpl s) {
        endpoint.runOnLoop(() -> {
            streams.windowUpdate(s.id());
            flush();
        });
    }

    // ---- loop thread

    boolean confirmed() {
        return confirmed;
    }

    /** When the peer's first DATA confirmed the keys (responder side; {@link SessionEndpoint#now()} time). */
    long confirmedAt() {
        return confirmedAt;
    }

    // ---- paths (docs/sessions.md, "Relay first, then direct")

    /**
     * Initiator of a session that runs through a relay: our addresses go to the peer with the
     * confirmation, and our probes towards {@code punch} start at {@code at} — half a relayed round trip
     * from now, when the peer, starting on our confirmation, sends its own (the NAT lab's conntrack rule:
     * both sides' first packets must cross within one network latency).
     */
    void startPunching(List<InetSocketAddress> punch, List<InetSocketAddress> ours, long at) {
        paths.punch(punch, at);
        if (paths.takeCandidatesTurn()) {
            sender.queue(new Frame.Candidates(ours));
        }
    }

    /** The peer's addresses, authenticated: probe them now, and tell ours once (while relayed). */
    private void onCandidates(List<InetSocketAddress> theirs, long now) {
        if (!paths.relayed()) {
            return;
        }
        paths.punch(theirs.stream().filter(endpoint::allowsCandidate).toList(), now);
        if (paths.takeCandidatesTurn()) {
            sender.queue(new Frame.Candidates(endpoint.localCandidates()));
        }
    }

    private long failingAfter() {
        return Math.max(PathChoice.FAILING, 3 * recovery.smoothedRtt());
    }

    /** The session moved to {@code paths.current()}; after a failed path, what was in flight goes again. */
    private void moved(boolean failed) {
        remote = paths.current();
        endpoint.paths.moved(peer, remote, endpoint.now()); // the kept-open path follows the session
        if (failed) {
            recovery.pathFailed(this);
        }
        sender.probe();
        Consumer<InetSocketAddress> l = pathListener;
        InetSocketAddress now = remote;
        if (l != null) {
            endpoint.callback(() -> l.accept(now));
        }
    }

    /** Initiator: the first DATA packet, which confirms the keys to the responder. */
    void sendConfirmation() {
        sender.queue(new Frame.Ping());
        flush();
    }

    /** Tells the peer (once, best effort) and ends the session with {@code reason}. */
    void abort(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        sender.queueFirst(new Frame.Close(1));
        sender.probe();
        flush();
        fail(reason);
    }

    /** An authenticated-or-not DATA datagram addressed to our connection id. */
    void onDatagram(byte[] b, InetSocketAddress from, long now) {
        if (state == State.CLOSED) {
            return;
        }
        int length = protection.open(b, plain);
        if (length < 0) {
            return; // replayed, too old, tampered or not ours: dropped without a trace in our state
        }
        List<Frame> frames;
        try {
            frames = FrameCodec.decode(ByteBuffer.wrap(plain, 0, length));
        } catch (IllegalArgumentException e) {
            fail("peer sent a malformed packet: " + e.getMessage());
            return;
        }
        long pn = PacketProtection.number(b);
        lastReceive = now;
        if (paths.onPacket(from, protection.accept(pn), now, failingAfter())) {
            moved(paths.takeRelayFailed()); // relay to direct, NAT rebinding, another relay
        }
        if (!confirmed) {
            confirmed = true;
            confirmedAt = now;
            endpoint.onConfirmed(this);
        }
        acks.onPacket(pn, frames.stream().anyMatch(Frame::ackEliciting), now);
        boolean kept = true;
        for (Frame f : frames) {
            kept &= handle(f, now);
            if (state == State.CLOSED) {
                return;
            }
        }
        if (!kept) {
            // Stream bytes or a message found no room: unacknowledged, the packet counts as lost
            // and the peer sends them again later (its congestion control backs off, as on a full link).
            acks.forget(pn);
        }
        flush();
    }

    /** Acts on one frame; false if it could not be kept (stream bytes over the budget, too many messages waiting). */
    private boolean handle(Frame f, long now) {
        if (f instanceof Frame.Ack a) {
            recovery.onAck(a, protection.nextNumber(), now, this);
            checkDrained();
        } else if (f instanceof Frame.Stream s) {
            String problem = streams.onPeerData(s, this, arrivals);
            if (problem == StreamImpl.NO_ROOM) {
                return false;
            } else if (problem != null) {
                fail(problem);
            }
        } else if (f instanceof Frame.MaxStreams m) {
            streams.onMaxStreams(m.count());
        } else if (f instanceof Frame.Candidates c) {
            onCandidates(c.addresses(), now);
        } else if (f instanceof Frame.MaxStreamData m) {
            StreamImpl stream = streams.get(m.streamId());
            if (stream != null) {
                stream.onMaxStreamData(m.maxOffset());
                wakeSender();
            }
        } else if (f instanceof Frame.Message m) {
            if (!messages.receive(m, arrivals::message)) {
                return false; // the application is behind: not acknowledged, sent again later
            }
        } else if (f instanceof Frame.Close c) {
            acks.urgent(now);
            flush(); // acknowledge the close before forgetting the session
            // Code 1: the peer ended it at once, e.g. it takes no incoming sessions (no listener).
            if (c.code() != 0) {
                SessionException e = new SessionException("the peer ended the session abnormally (code " + c.code()
                        + ": it refused it, e.g. it takes no incoming sessions, or its endpoint closed)");
                endedByPeer = e;
                terminate(e);
            } else {
                terminate(null);
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
        } else if (f instanceof Frame.Close && state == State.CLOSING) {
            terminate(null);
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
        if (paths.failing(now, recovery.inFlight(), failingAfter())) {
            if (paths.onFailing(now)) {
                moved(true);
            } else if (paths.relayFailing() && relayFailingListener != null) {
                Consumer<InetSocketAddress> l = relayFailingListener;
                InetSocketAddress silent = remote;
                endpoint.callback(() -> l.accept(silent));
            }
        }
        for (InetSocketAddress a : paths.probesDue(now)) {
            endpoint.transmit(sender.sealProbe(), a);
        }
        if (recovery.deadline() <= now && recovery.onTimeout(now, this)) {
            sender.probe();
            if (sender.noControlQueued() && !streams.wantToSend()) {
                sender.queue(new Frame.Ping());
            }
        }
        if (state == State.OPEN && confirmed && !recovery.inFlight()
                && now - Math.max(recovery.lastElicitingSent(), lastReceive) >= endpoint.config().keepAlive().toNanos()) {
            sender.queue(new Frame.Ping());
        }
        flush();
    }

    /** Sends what is due: an ack, control frames, stream data within the congestion window. */
    void flush() {
        if (state == State.CLOSED) {
            return;
        }
        sender.flush(endpoint.now(), state == State.OPEN, remote, endpoint::transmit);
        reschedule();
    }

    private void checkDrained() {
        if (drainWaiter != null && streams.allAcked()) {
            drainWaiter.complete(null);
        }
    }

    private void reschedule() {
        if (state == State.CLOSED) {
            return;
        }
        long next = Math.min(Math.min(acks.deadline(), recovery.deadline()), closingDeadline);
        next = Math.min(next, lastReceive + endpoint.config().idleTimeout().toNanos());
        next = Math.min(next, paths.deadline(recovery.inFlight(), failingAfter()));
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
        if (error != null && !streams.allAcked()) {
            unacknowledgedAtEnd = error;
        }
        SessionException streamError = error != null ? error : new SessionException("session with " + peer + " closed");
        streams.failAll(streamError);
        arrivals.close(streamError);
        endpoint.forget(this);
        if (drainWaiter != null) {
            drainWaiter.complete(null);
        }
        CompletableFuture<Session> parked = mergedConnect;
        if (parked != null && !confirmed) {
            // our own connect waited for this answered session, which ended before the peer confirmed it
            SessionException why = new SessionException("the session with " + peer + " ended before it was confirmed: "
                    + streamError.getMessage());
            endpoint.callback(() -> parked.completeExceptionally(why));
        }
        endpoint.callback(() -> {
            if (error == null) {
                closed.complete(null);
            } else {
                closed.completeExceptionally(error);
            }
        });
    }

    /** The streams, for tests and diagnostics (open ones, buffered bytes). */
    StreamSet streams() {
        return streams;
    }

    /** Congestion window and smoothed RTT, for diagnostics. */
    @Override
    public String toString() {
        return "Session[peer=" + peer + ", remote=" + remote + ", cwnd=" + recovery.congestionWindow()
                + ", srtt=" + recovery.smoothedRtt() / 1_000 + " us]";
    }
}
