package dev.scout.session;

import dev.scout.core.crypto.KeyExchange;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.Ed25519PublicKey;
import dev.scout.session.handshake.DeviceTimestamps;
import dev.scout.session.handshake.HandshakeGate;
import dev.scout.session.handshake.HandshakeMacs;
import dev.scout.session.handshake.NoiseIK;
import dev.scout.session.handshake.ReceivedInitiation;
import dev.scout.session.handshake.Wire;
import dev.scout.session.path.PathTokens;
import dev.scout.session.path.VirtualAddresses;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Noise IK handshakes of one endpoint, both roles, on the loop thread.
 *
 * <p>Initiator: the initiation (our identity key and a strictly increasing timestamp, encrypted to
 * the contact's static key) goes to every address at once and is repeated until an answer comes
 * or the connect timeout passes. Responder: an initiation is answered only if it decrypts under
 * our static key, names an identity whose X25519 key is the one it proved, the policy accepts that
 * identity, and its timestamp is newer than any accepted before from that identity's device (a
 * replayed initiation gets nothing; {@link DeviceTimestamps}). Before any of that costs a
 * Diffie-Hellman, {@link HandshakeGate} checks mac1, the source's rate and, under load, a cookie; a
 * COOKIE reply makes the initiator repeat its initiation with the cookie in it. At most
 * {@value #MAX_UNCONFIRMED} half-open sessions in all, {@value #MAX_UNCONFIRMED_PER_PEER} per peer, and
 * {@value #MAX_SESSIONS_PER_PEER} sessions per peer. A repeated initiation (same sender id and ephemeral) gets the same response.
 * When both sides initiate at once, the side with the smaller identity key keeps its initiation
 * and the other answers it, so exactly one session results. Every connect made while the answered
 * session awaits its confirmation, or within 2 s after it was confirmed, returns that session: the
 * connects crossed.
 */
final class Handshaker {
    private static final Logger LOG = LoggerFactory.getLogger(Handshaker.class);
    private static final long FAST_RESEND = 200_000_000L;
    private static final long SLOW_RESEND = 500_000_000L;
    private static final long FAST_PHASE = 2_000_000_000L;
    /** A session the peer opened this recently is the one a connect of ours crossed (both started at once). */
    private static final long CROSSING = 2_000_000_000L;
    static final int MAX_UNCONFIRMED = 256;
    /** Half-open sessions one peer identity (all its devices) may hold: one contact cannot block the others. */
    static final int MAX_UNCONFIRMED_PER_PEER = 4;
    /** Sessions (both roles) one peer identity may hold before its initiations go unanswered. */
    static final int MAX_SESSIONS_PER_PEER = 32;

    private final SessionEndpoint endpoint;
    private final Ed25519KeyPair identity;
    private final AccessPolicy policy;
    private final byte[] staticPrivate;
    private final SecureRandom random = new SecureRandom();
    /** Our device id in initiations: new per endpoint (a restart is a new device to the peer). */
    private final long device = random.nextLong();
    private final HandshakeGate gate;
    private final DeviceTimestamps timestamps = new DeviceTimestamps(System.currentTimeMillis());
    private final PeerSessions sessions = new PeerSessions();
    private final Map<Long, Pending> pendingById = new ConcurrentHashMap<>();
    private final Map<Ed25519PublicKey, Pending> pendingByPeer = new HashMap<>();
    private final Map<Long, Connection> answered = new HashMap<>();
    private long lastSentTimestamp;

    Handshaker(SessionEndpoint endpoint, Ed25519KeyPair identity, AccessPolicy policy) {
        this.endpoint = endpoint;
        this.identity = identity;
        this.policy = policy;
        this.staticPrivate = KeyExchange.curve25519PrivateKey(identity);
        this.gate = new HandshakeGate(identity.publicKey().bytes(), random, endpoint::transmit, VirtualAddresses::isVirtual,
                endpoint.now());
    }

    /** Link thread: whether a RESPONSE addressed to {@code id} belongs to one of our initiations. */
    boolean isPending(long id) {
        return pendingById.containsKey(id);
    }

    void connect(Ed25519PublicKey peer, List<InetSocketAddress> addresses, List<InetSocketAddress> punch, NatType peerNat,
                 long timeoutNanos, CompletableFuture<Session> future) {
        Pending existing = pendingByPeer.get(peer);
        if (existing != null) {
            joinRelayed(existing, addresses);
            existing.addPunch(punch);
            follow(existing.future, future);
            return;
        }
        // The peer's initiation was answered and awaits its confirmation: that session is the one we
        // want, for every connect made meanwhile (a daemon may connect twice: its own rendezvous and
        // its answer to the peer's intent); a new initiation now would make the peer (no longer
        // initiating) answer a second one, and each side could hand a different session to its caller.
        // If it was confirmed a moment ago, our connect crossed it (both people started at once, the
        // peer's initiation arrived before ours left): it is the session, already reported as incoming.
        for (Connection c : answered.values()) {
            if (!c.peer().equals(peer) || c.closed().isDone()) {
                continue;
            }
            if (!c.confirmed()) {
                if (c.mergedConnect == null) {
                    c.mergedConnect = future;
                } else {
                    follow(c.mergedConnect, future);
                }
                return;
            }
            if (c.confirmed() && endpoint.now() - c.confirmedAt() < CROSSING) {
                endpoint.callback(() -> future.complete(c));
                return;
            }
        }
        lastSentTimestamp = Math.max(System.currentTimeMillis(), lastSentTimestamp + 1);
        Pending p = new Pending(peer, addresses, peerNat, random.nextLong(), NoiseIK.newPrivateKey(random),
                lastSentTimestamp, future, endpoint.now(), timeoutNanos);
        p.addPunch(punch);
        try {
            startNoise(p);
        } catch (GeneralSecurityException | RuntimeException e) {
            future.completeExceptionally(new SessionException("cannot start a handshake with " + peer + ": " + e.getMessage()));
            return;
        }
        pendingById.put(p.localId, p);
        pendingByPeer.put(peer, p);
        send(p);
    }

    /** {@code follower} completes as {@code leader} does: a connect joining one already under way. */
    private static void follow(CompletableFuture<Session> leader, CompletableFuture<Session> follower) {
        leader.whenComplete((s, e) -> {
            if (e != null) {
                follower.completeExceptionally(e);
            } else {
                follower.complete(s);
            }
        });
    }

    /**
     * A relay route (a virtual address, {@code RelayLink}) offered while an attempt runs joins it: the
     * attempt's initiation goes there too, so a rendezvous can fall back to a relay within its time.
     */
    private void joinRelayed(Pending p, List<InetSocketAddress> addresses) {
        for (InetSocketAddress a : addresses) {
            if (VirtualAddresses.isVirtual(a) && !p.addresses.contains(a)) {
                List<InetSocketAddress> more = new java.util.ArrayList<>(p.addresses);
                more.add(a);
                p.addresses = List.copyOf(more);
                endpoint.transmit(p.datagram, a);
                p.relaySent(endpoint.now());
            }
        }
    }

    /** (Re)creates the initiator's Noise states; deterministic, so a forged response cannot spoil them. */
    private void startNoise(Pending p) throws GeneralSecurityException {
        p.start(staticPrivate, identity.publicKey(), device);
    }

    /**
     * The responder asks for its cookie (it is under load, or does not know our device): the same
     * initiation again, with the cookie in it, at once to where the cookie came from. The state for
     * the INIT without it is kept: another device of the peer may have answered that one.
     */
    void onCookie(byte[] b, InetSocketAddress from) {
        Pending p = pendingById.get(Wire.receiverId(b));
        if (p == null) {
            return;
        }
        byte[] cookie = HandshakeMacs.openCookieReply(b, p.datagram, p.cookieTag);
        if (cookie == null) {
            LOG.debug("cookie reply from {} does not answer our initiation", from);
            return;
        }
        p.cookieAdded = true;
        p.cookie = cookie;
        try {
            startNoise(p);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        endpoint.transmit(p.datagram, from);
    }

    private void send(Pending p) {
        long now = endpoint.now();
        for (InetSocketAddress a : p.addresses) {
            endpoint.transmit(p.datagram, a);
            if (VirtualAddresses.isVirtual(a)) {
                p.relaySent(now);
            }
        }
        p.nextSend = now + (now - p.started < FAST_PHASE ? FAST_RESEND : SLOW_RESEND);
        endpoint.scheduleHandshakeTimer(Math.min(p.nextSend, deadline(p)));
    }

    private long deadline(Pending p) {
        return p.started + p.timeout;
    }

    void onTimer() {
        long now = endpoint.now();
        for (Pending p : List.copyOf(pendingById.values())) {
            if (now >= deadline(p)) {
                remove(p);
                p.future.completeExceptionally(noPath(p));
            } else if (now >= p.nextSend) {
                send(p);
            }
        }
    }

    private NoDirectPathException noPath(Pending p) {
        return ConnectFailures.noPath(p.peer, p.addresses, endpoint.localNatType(), p.peerNat, p.timeout);
    }

    void onResponse(byte[] b, InetSocketAddress from) {
        Pending p = pendingById.get(Wire.receiverId(b));
        if (p == null) {
            return;
        }
        byte[] message = Arrays.copyOfRange(b, 9, b.length);
        NoiseIK noise = p.noise;
        byte[] payload = read(noise, message);
        if (payload == null && p.noiseWithoutCookie != null) {
            noise = p.noiseWithoutCookie;
            payload = read(noise, message);
        }
        if (payload == null || payload.length != Wire.RESPONSE_PAYLOAD) {
            LOG.debug("bad handshake response from {}", from);
            try {
                startNoise(p); // back to the state after message 1, for the genuine response
            } catch (GeneralSecurityException again) {
                throw new IllegalStateException(again);
            }
            return;
        }
        long remoteId = Wire.getLong(payload, 0); // authenticated: a rewritten id cannot leave a dead session
        remove(p);
        Connection c = new Connection(endpoint, p.localId, remoteId, p.peer, from, true, noise.split(), endpoint.now());
        sessions.added(c);
        endpoint.register(c);
        endpoint.paths.established(p.peer, from, PathTokens.of(noise, true), endpoint.now());
        if (VirtualAddresses.isVirtual(from) && !p.punch.isEmpty()) {
            // Relay first, then direct: the peer starts probing when our confirmation reaches it, half a
            // relayed round trip from now; ours start then too.
            long now = endpoint.now();
            c.startPunching(p.punch, endpoint.candidates.local(), now + (now - p.relaySentAt) / 2);
        }
        c.sendConfirmation();
        endpoint.callback(() -> p.future.complete(c));
    }

    private static byte[] read(NoiseIK noise, byte[] message) {
        try {
            return noise.readMessage2(message);
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    /** {@return whether the initiation was decrypted (the costly part)} */
    boolean onInit(byte[] b, InetSocketAddress from) {
        long senderId = Wire.getLong(b, 2);
        byte[] ephemeral = Arrays.copyOfRange(b, Wire.INIT_NOISE, Wire.INIT_NOISE + NoiseIK.KEY_BYTES);
        Connection previous = answered.get(senderId);
        if (previous != null && MessageDigest.isEqual(previous.initiatorEphemeral, ephemeral)) {
            endpoint.transmit(previous.cachedResponse, from); // our response was lost: same answer again
            return false;
        }
        long now = endpoint.now();
        HandshakeGate.Admission admission = gate.admit(b, from, now);
        if (admission == HandshakeGate.Admission.STOP || sessions.unconfirmedTotal() >= MAX_UNCONFIRMED) {
            return false;
        }
        gate.decrypting();
        ReceivedInitiation init;
        try {
            init = ReceivedInitiation.open(b, staticPrivate, random);
        } catch (ReceivedInitiation.Rejected e) {
            LOG.debug("initiation from {} {}", from, e.getMessage());
            return true;
        }
        if (init == null) {
            return true;
        }
        Ed25519PublicKey peer = init.peer();
        long peerDevice = init.device();
        long timestamp = init.timestamp();
        if (!policy.accepts(peer)) {
            LOG.debug("initiation from {} by {}, not an accepted contact", from, peer);
            return true;
        }
        Long last = timestamps.newest(peer, peerDevice);
        if (last == null && timestamp <= timestamps.floor() && admission != HandshakeGate.Admission.PROVED) {
            gate.sendCookie(b, from, now); // older than our start, device unknown: prove it is fresh
            return true;
        }
        if (last != null && timestamp <= last) {
            LOG.debug("replayed initiation from {} by {}", from, peer);
            return true;
        }
        if (sessions.unconfirmed(peer) >= MAX_UNCONFIRMED_PER_PEER || sessions.sessions(peer) >= MAX_SESSIONS_PER_PEER) {
            LOG.debug("initiation from {} by {}: its session limit is reached", from, peer);
            return true;
        }
        Pending ours = pendingByPeer.get(peer);
        if (ours != null && compare(identity.publicKey(), peer) < 0) {
            // Both initiated: ours wins and the peer answers it. The peer's packet came from an
            // address we may not know (its NAT chose another port for us): send ours there too.
            if (!ours.addresses.contains(from)) {
                List<InetSocketAddress> more = new java.util.ArrayList<>(ours.addresses);
                more.add(from);
                ours.addresses = List.copyOf(more);
                endpoint.transmit(ours.datagram, from);
            }
            return true;
        }
        timestamps.accept(peer, peerDevice, timestamp);
        answer(from, init, senderId, ephemeral, ours);
        return true;
    }

    private void answer(InetSocketAddress from, ReceivedInitiation init, long senderId, byte[] ephemeral, Pending ours) {
        long localId = random.nextLong();
        byte[] response = init.response(senderId, localId);
        if (response == null) {
            return;
        }
        NoiseIK noise = init.noise();
        Ed25519PublicKey peer = init.peer();
        Connection c = new Connection(endpoint, localId, senderId, peer, from, false, noise.split(), endpoint.now());
        endpoint.paths.expect(localId, peer, PathTokens.of(noise, false)); // a path once the initiator confirms
        c.cachedResponse = response;
        c.initiatorEphemeral = ephemeral;
        if (ours != null) {
            remove(ours);
            c.mergedConnect = ours.future;
        }
        answered.put(senderId, c);
        sessions.added(c);
        endpoint.register(c);
        endpoint.transmit(response, from);
        c.onTimer(endpoint.now()); // arms its idle timer: an unconfirmed half-open session expires
    }

    /** The endpoint's handshake queue holds {@code queued} initiations. */
    void noteQueued(int queued) {
        gate.noteQueued(queued, endpoint.now());
    }

    /** The responder session {@code c} was confirmed by its initiator. */
    void confirmed(Connection c) {
        sessions.confirmed(c);
    }

    int unconfirmedCount() {
        return sessions.unconfirmedTotal();
    }

    HandshakeGate gate() {
        return gate;
    }

    private static int compare(Ed25519PublicKey a, Ed25519PublicKey b) {
        return Arrays.compareUnsigned(a.bytes(), b.bytes());
    }

    private void remove(Pending p) {
        pendingById.remove(p.localId);
        pendingByPeer.remove(p.peer);
    }

    void forget(Connection c) {
        answered.remove(c.remoteId, c);
        sessions.removed(c);
    }

    void closeAll() {
        for (Pending p : List.copyOf(pendingById.values())) {
            remove(p);
            p.future.completeExceptionally(new SessionException("session endpoint closed"));
        }
    }
}
