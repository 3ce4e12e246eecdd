package dev.scout.session;

import dev.scout.dht.Ed25519PublicKey;
import dev.scout.session.path.PathChoice;
import dev.scout.session.transport.Frame;
import dev.scout.session.transport.Recovery;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;

/**
 * Moves one {@link Connection} between paths as its {@link PathChoice} decides (docs/sessions.md, "Relay
 * first, then direct"): authenticated packets from a new address, failing paths, the peer's
 * {@code CANDIDATES}; re-sends what was in flight after a failed path and tells the listeners. The
 * current path is read from any thread; everything else runs on the loop thread.
 */
final class PathSwitch {
    private final SessionEndpoint endpoint;
    private final Ed25519PublicKey peer;
    private final PathChoice choice;
    private final PacketSender sender;
    private final Recovery recovery;
    private final Recovery.FrameSink inFlight;
    private final InetSocketAddress established;
    private volatile InetSocketAddress remote;
    private volatile Consumer<InetSocketAddress> pathListener;
    /** Hears that the relay path in use failed (PathProbes#onRelayFailing: the node names other relay routes). */
    volatile Consumer<InetSocketAddress> relayFailingListener;
    /** Hears every CANDIDATES frame while relayed (PathProbes#onPeerCandidates: a new birthday attempt of the peer's). */
    volatile Consumer<List<InetSocketAddress>> candidatesListener;

    PathSwitch(SessionEndpoint endpoint, Ed25519PublicKey peer, PathChoice choice, PacketSender sender, Recovery recovery,
               Recovery.FrameSink inFlight, InetSocketAddress remote) {
        this.endpoint = endpoint;
        this.peer = peer;
        this.choice = choice;
        this.sender = sender;
        this.recovery = recovery;
        this.inFlight = inFlight;
        this.remote = remote;
        this.established = remote;
    }

    /** {@return the path the handshake ran over (any thread)} */
    InetSocketAddress established() {
        return established;
    }

    /** {@return the path the session uses now (any thread)} */
    InetSocketAddress current() {
        return remote;
    }

    void onPathChange(Consumer<InetSocketAddress> listener) {
        this.pathListener = listener;
    }

    /**
     * Initiator of a session that runs through a relay: our addresses go to the peer with the
     * confirmation, and our probes towards {@code punch} start at {@code at} — half a relayed round trip
     * from now, when the peer, starting on our confirmation, sends its own (the NAT lab's conntrack rule:
     * both sides' first packets must cross within one network latency).
     */
    void startPunching(List<InetSocketAddress> punch, List<InetSocketAddress> ours, long at) {
        choice.punch(punch, at);
        if (choice.takeCandidatesTurn()) {
            sender.queue(new Frame.Candidates(ours));
        }
    }

    /** The peer's addresses, authenticated: probe them now, and tell ours once (while relayed). */
    void onCandidates(List<InetSocketAddress> theirs, long now) {
        if (!choice.relayed()) {
            return;
        }
        List<InetSocketAddress> allowed = theirs.stream().filter(endpoint.candidates::allows).toList();
        choice.punch(allowed, now);
        if (choice.takeCandidatesTurn()) {
            sender.queue(new Frame.Candidates(endpoint.candidates.local()));
        }
        Consumer<List<InetSocketAddress>> l = candidatesListener;
        if (l != null && !allowed.isEmpty()) {
            endpoint.callback(() -> l.accept(allowed));
        }
    }

    /** Our addresses to the peer again, while relayed (a new birthday attempt: its probes start anew). */
    void resendCandidates() {
        if (choice.relayed()) {
            choice.takeCandidatesTurn(); // told now, whether or not it was before
            sender.queue(new Frame.Candidates(endpoint.candidates.local()));
        }
    }

    /** An authenticated packet arrived from {@code from}: moves the session if the path choice says so. */
    void onPacket(InetSocketAddress from, boolean newest, long now) {
        if (choice.onPacket(from, newest, now, failingAfter())) {
            moved(choice.takeRelayFailed()); // relay to direct, NAT rebinding, another relay
        }
    }

    /** Timers: a failing path moves the session or is reported; probes that are due go out. */
    void onTimer(long now) {
        if (choice.failing(now, recovery.inFlight(), failingAfter())) {
            if (choice.onFailing(now)) {
                moved(true);
            } else if (choice.relayFailing() && relayFailingListener != null) {
                Consumer<InetSocketAddress> l = relayFailingListener;
                InetSocketAddress silent = remote;
                endpoint.callback(() -> l.accept(silent));
            }
        }
        for (InetSocketAddress a : choice.probesDue(now)) {
            endpoint.transmit(sender.sealProbe(), a);
        }
    }

    /** {@return when {@link #onTimer} must run next for the paths' sake} */
    long deadline() {
        return choice.deadline(recovery.inFlight(), failingAfter());
    }

    private long failingAfter() {
        return Math.max(PathChoice.FAILING, 3 * recovery.smoothedRtt());
    }

    /** The session moved to {@code choice.current()}; after a failed path, what was in flight goes again. */
    private void moved(boolean failed) {
        InetSocketAddress before = remote;
        remote = choice.current();
        endpoint.paths.moved(peer, remote, endpoint.now()); // the kept-open path follows the session
        if (failed) {
            recovery.pathFailed(inFlight);
        }
        // Another kind of path (relay <-> direct): its own window, from slow start. Not from one relay route
        // to another (relays have the same limits, and working routes may alternate as the newest packet
        // decides) nor a NAT rebinding.
        if (choice.isRelayPath(before) != choice.isRelayPath(remote)) {
            recovery.newPath(sender.nextNumber());
        }
        sender.probe();
        Consumer<InetSocketAddress> l = pathListener;
        InetSocketAddress now = remote;
        if (l != null) {
            endpoint.callback(() -> l.accept(now));
        }
    }
}
