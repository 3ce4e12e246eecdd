package dev.scout.session;

import dev.scout.dht.Ed25519PublicKey;
import dev.scout.dht.LimitExceededException;
import dev.scout.session.handshake.NoiseCipher;
import dev.scout.session.handshake.Wire;
import dev.scout.session.path.PathChoice;
import dev.scout.session.stream.BufferBudget;
import dev.scout.session.transport.AckTracker;
import dev.scout.session.transport.Frame;
import dev.scout.session.transport.FrameCodec;
import dev.scout.session.transport.Messages;
import dev.scout.session.transport.PacketProtection;
import dev.scout.session.transport.Recovery;
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
final class Connection implements Session {
    private enum State { OPEN, CLOSING, CLOSED }

    final long localId;
    final long remoteId;
    final SessionEndpoint endpoint; // and sender, paths: PathProbes (birthday punching)
    private final Ed25519PublicKey peer;
    private final boolean initiator;
    private final PacketProtection protection;

    // loop-only state
    private final AckTracker acks = new AckTracker(Recovery.MAX_ACK_DELAY);
    private final Recovery recovery = new Recovery();
    final PacketSender sender;
    private final Messages messages = new Messages();
    final PathChoice paths;
    final PathSwitch pathSwitch;
    final FrameHandler frameHandler;
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
    private final SessionOutcome outcome;

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
        this.initiator = initiator;
        this.protection = new PacketProtection(ciphers);
        this.streams = new StreamSet(initiator, new BufferBudget(BufferBudget.SESSION_LIMIT, endpoint.buffers));
        this.sender = new PacketSender(acks, recovery, streams, protection, remoteId);
        this.arrivals = new Arrivals(endpoint::callback);
        this.lastReceive = now;
        this.paths = new PathChoice(remote, now);
        this.outcome = new SessionOutcome(peer);
        this.frameHandler = new FrameHandler(this, acks, recovery, protection, streams, arrivals, messages, sender);
        this.pathSwitch = new PathSwitch(endpoint, peer, paths, sender, recovery, frameHandler, remote);
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
        return pathSwitch.current();
    }

    @Override
    public InetSocketAddress establishedAt() {
        return pathSwitch.established();
    }

    @Override
    public void onPathChange(Consumer<InetSocketAddress> listener) {
        pathSwitch.onPathChange(listener);
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
        return outcome.closed();
    }

    @Override
    public void close() {
        if (outcome.closed().isDone()) {
            outcome.throwIfUnacknowledged();
            return;
        }
        CompletableFuture<Void> drained = new CompletableFuture<>();
        endpoint.runOnLoop(() -> {
            drainWaiter = drained;
            checkDrained();
        });
        boolean acknowledged = true;
        try {
            CompletableFuture.anyOf(drained, outcome.closed()).get(10, TimeUnit.SECONDS);
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
            outcome.closed().get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            endpoint.runOnLoop(() -> terminate(null));
        }
        outcome.throwIfUnacknowledged();
        if (!acknowledged) {
            throw new SessionException("closed before " + peer + " acknowledged every byte written (10 s)");
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

    /** Initiator of a relayed session: see {@link PathSwitch#startPunching}. */
    void startPunching(List<InetSocketAddress> punch, List<InetSocketAddress> ours, long at) {
        pathSwitch.startPunching(punch, ours, at);
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
        pathSwitch.onPacket(from, protection.accept(pn), now);
        if (!confirmed) {
            confirmed = true;
            confirmedAt = now;
            endpoint.onConfirmed(this);
        }
        acks.onPacket(pn, frames.stream().anyMatch(Frame::ackEliciting), now);
        boolean kept = true;
        for (Frame f : frames) {
            kept &= frameHandler.handle(f, now);
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

    /** The peer refused or aborted the session (a CLOSE with a non-zero code). */
    void endedByPeer(SessionException e) {
        outcome.endedByPeer(e);
        terminate(e);
    }

    /** {@return whether our CLOSE is out and awaits its ack} */
    boolean closing() {
        return state == State.CLOSING;
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
        pathSwitch.onTimer(now);
        if (recovery.deadline() <= now && recovery.onTimeout(now, frameHandler)) {
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
        sender.flush(endpoint.now(), state == State.OPEN, pathSwitch.current(), endpoint::transmit);
        reschedule();
    }

    void checkDrained() {
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
        next = Math.min(next, pathSwitch.deadline());
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

    void terminate(SessionException error) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        if (error != null && !streams.allAcked()) {
            outcome.unacknowledged(error);
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
        outcome.complete(error, endpoint::callback);
    }

    /** The streams, for tests and diagnostics (open ones, buffered bytes). */
    StreamSet streams() {
        return streams;
    }

    /** Congestion window and smoothed RTT, for diagnostics. */
    @Override
    public String toString() {
        return "Session[peer=" + peer + ", remote=" + pathSwitch.current() + ", cwnd=" + recovery.congestionWindow()
                + ", srtt=" + recovery.smoothedRtt() / 1_000 + " us]";
    }
}
