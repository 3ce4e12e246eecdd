package dev.scout.session;

import dev.scout.dht.Ed25519KeyPair;
import dev.scout.core.crypto.KeyExchange;
import dev.scout.dht.Ed25519PublicKey;
import dev.scout.session.internal.NoiseIK;
import dev.scout.session.internal.PathTokens;
import dev.scout.session.internal.Wire;
import dev.scout.session.internal.VirtualAddresses;
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
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Noise IK handshakes of one endpoint, both roles, on the loop thread.
 *
 * <p>Initiator: the initiation (our identity key and a strictly increasing timestamp, encrypted to
 * the contact's static key) goes to every address at once and is repeated until an answer comes
 * or the connect timeout passes. Responder: an initiation is answered only if it decrypts under
 * our static key, names an identity whose X25519 key is the one it proved, the policy accepts that
 * identity, and its timestamp is newer than any accepted before from it (a replayed initiation
 * gets nothing). A repeated initiation (same sender id and ephemeral) gets the same response.
 * When both sides initiate at once, the side with the smaller identity key keeps its initiation
 * and the other answers it, so exactly one session results. A connect made within 2 s after the
 * peer's own session to us was confirmed returns that session: the two connects crossed.
 */
final class Handshaker {
    private static final Logger LOG = LoggerFactory.getLogger(Handshaker.class);
    private static final long FAST_RESEND = 200_000_000L;
    private static final long SLOW_RESEND = 500_000_000L;
    private static final long FAST_PHASE = 2_000_000_000L;
    /** A session the peer opened this recently is the one a connect of ours crossed (both started at once). */
    private static final long CROSSING = 2_000_000_000L;
    private static final int MAX_UNCONFIRMED = 256;

    private final SessionEndpoint endpoint;
    private final Ed25519KeyPair identity;
    private final AccessPolicy policy;
    private final byte[] staticPrivate;
    private final SecureRandom random = new SecureRandom();
    private final Map<Long, Pending> pendingById = new ConcurrentHashMap<>();
    private final Map<Ed25519PublicKey, Pending> pendingByPeer = new HashMap<>();
    private final Map<Ed25519PublicKey, Long> lastTimestamp = new HashMap<>();
    private final Map<Long, Connection> answered = new HashMap<>();
    private long lastSentTimestamp;

    /** An initiation in progress. */
    private static final class Pending {
        Ed25519PublicKey peer;
        List<InetSocketAddress> addresses;
        NatType peerNat;
        long localId;
        byte[] ephemeral;
        byte[] payload;
        NoiseIK noise;
        byte[] datagram;
        CompletableFuture<Session> future;
        long started;
        long timeout;
        long nextSend;
    }

    Handshaker(SessionEndpoint endpoint, Ed25519KeyPair identity, AccessPolicy policy) {
        this.endpoint = endpoint;
        this.identity = identity;
        this.policy = policy;
        this.staticPrivate = KeyExchange.curve25519PrivateKey(identity);
    }

    /** Link thread: whether a RESPONSE addressed to {@code id} belongs to one of our initiations. */
    boolean isPending(long id) {
        return pendingById.containsKey(id);
    }

    void connect(Ed25519PublicKey peer, List<InetSocketAddress> addresses, NatType peerNat, long timeoutNanos,
                 CompletableFuture<Session> future) {
        Pending existing = pendingByPeer.get(peer);
        if (existing != null) {
            joinRelayed(existing, addresses);
            existing.future.whenComplete((s, e) -> {
                if (e != null) {
                    future.completeExceptionally(e);
                } else {
                    future.complete(s);
                }
            });
            return;
        }
        // The peer's initiation was answered and awaits its confirmation: that session is the one we
        // want; a new initiation now would make the peer (no longer initiating) answer a second one.
        // If it was confirmed a moment ago, our connect crossed it (both people started at once, the
        // peer's initiation arrived before ours left): it is the session, already reported as incoming.
        for (Connection c : answered.values()) {
            if (!c.peer().equals(peer) || c.closed().isDone()) {
                continue;
            }
            if (!c.confirmed() && c.mergedConnect == null) {
                c.mergedConnect = future;
                return;
            }
            if (c.confirmed() && endpoint.now() - c.confirmedAt() < CROSSING) {
                endpoint.callback(() -> future.complete(c));
                return;
            }
        }
        Pending p = new Pending();
        p.peer = peer;
        p.addresses = addresses;
        p.peerNat = peerNat;
        p.localId = random.nextLong();
        p.ephemeral = NoiseIK.newPrivateKey(random);
        p.future = future;
        p.started = endpoint.now();
        p.timeout = timeoutNanos;
        lastSentTimestamp = Math.max(System.currentTimeMillis(), lastSentTimestamp + 1);
        p.payload = new byte[Wire.INIT_PAYLOAD];
        System.arraycopy(identity.publicKey().bytes(), 0, p.payload, 0, Ed25519PublicKey.BYTES);
        Wire.putLong(p.payload, Ed25519PublicKey.BYTES, lastSentTimestamp);
        try {
            byte[] m1 = startNoise(p);
            p.datagram = new byte[Wire.INIT_LENGTH];
            p.datagram[0] = Wire.INIT;
            p.datagram[1] = Wire.VERSION;
            Wire.putLong(p.datagram, 2, p.localId);
            System.arraycopy(m1, 0, p.datagram, 10, m1.length);
        } catch (GeneralSecurityException | RuntimeException e) {
            future.completeExceptionally(new SessionException("cannot start a handshake with " + peer + ": " + e.getMessage()));
            return;
        }
        pendingById.put(p.localId, p);
        pendingByPeer.put(peer, p);
        send(p);
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
            }
        }
    }

    /** (Re)creates the initiator's Noise state; deterministic, so a forged response cannot spoil it. */
    private byte[] startNoise(Pending p) throws GeneralSecurityException {
        byte[] rs = KeyExchange.curve25519PublicKey(p.peer);
        p.noise = NoiseIK.initiator(Wire.PROLOGUE, staticPrivate, rs, p.ephemeral);
        return p.noise.writeMessage1(p.payload);
    }

    private void send(Pending p) {
        long now = endpoint.now();
        for (InetSocketAddress a : p.addresses) {
            endpoint.transmit(p.datagram, a);
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
        NatType ours = endpoint.localNatType();
        String tried = p.addresses.stream().map(a -> a.getAddress().getHostAddress() + ":" + a.getPort())
                .collect(Collectors.joining(", "));
        String why;
        if (ours == NatType.SYMMETRIC || p.peerNat == NatType.SYMMETRIC) {
            why = "a symmetric NAT gives every destination its own port, so simultaneous sends cannot meet; "
                    + "a relay is needed";
        } else {
            why = "the contact is offline, does not accept us, or a NAT/firewall drops the packets";
        }
        String within = p.timeout % 1_000_000_000L == 0 ? p.timeout / 1_000_000_000L + " s" : p.timeout / 1_000_000 + " ms";
        return new NoDirectPathException("no direct path to " + p.peer + ": no answer from " + tried + " within "
                + within + " (NAT: ours " + ours.label() + ", theirs "
                + p.peerNat.label() + "; " + why + ")");
    }

    void onResponse(byte[] b, InetSocketAddress from) {
        Pending p = pendingById.get(Wire.receiverId(b));
        if (p == null) {
            return;
        }
        long remoteId = Wire.getLong(b, 9);
        try {
            p.noise.readMessage2(Arrays.copyOfRange(b, 17, b.length));
        } catch (GeneralSecurityException e) {
            LOG.debug("bad handshake response from {}: {}", from, e.getMessage());
            try {
                startNoise(p); // back to the state after message 1, for the genuine response
            } catch (GeneralSecurityException again) {
                throw new IllegalStateException(again);
            }
            return;
        }
        remove(p);
        Connection c = new Connection(endpoint, p.localId, remoteId, p.peer, from, true, p.noise.split(), endpoint.now());
        endpoint.register(c);
        endpoint.paths.established(p.peer, from, PathTokens.of(p.noise, true), endpoint.now());
        c.sendConfirmation();
        endpoint.callback(() -> p.future.complete(c));
    }

    void onInit(byte[] b, InetSocketAddress from) {
        long senderId = Wire.getLong(b, 2);
        byte[] ephemeral = Arrays.copyOfRange(b, 10, 10 + NoiseIK.KEY_BYTES);
        Connection previous = answered.get(senderId);
        if (previous != null && MessageDigest.isEqual(previous.initiatorEphemeral, ephemeral)) {
            endpoint.transmit(previous.cachedResponse, from); // our response was lost: same answer again
            return;
        }
        if (endpoint.unconfirmedCount() >= MAX_UNCONFIRMED) {
            return;
        }
        NoiseIK noise = NoiseIK.responder(Wire.PROLOGUE, staticPrivate, NoiseIK.newPrivateKey(random));
        Ed25519PublicKey peer;
        long timestamp;
        try {
            byte[] payload = noise.readMessage1(Arrays.copyOfRange(b, 10, b.length));
            if (payload.length != Wire.INIT_PAYLOAD) {
                return;
            }
            peer = Ed25519PublicKey.of(Arrays.copyOf(payload, Ed25519PublicKey.BYTES));
            timestamp = Wire.getLong(payload, Ed25519PublicKey.BYTES);
            if (!MessageDigest.isEqual(KeyExchange.curve25519PublicKey(peer), noise.remoteStatic())) {
                LOG.debug("initiation from {} names a key it did not prove", from);
                return;
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            LOG.debug("initiation from {} rejected: {}", from, e.getMessage());
            return; // not for our key, tampered, or low-order: no answer at all
        }
        if (!policy.accepts(peer)) {
            LOG.debug("initiation from {} by {}, not an accepted contact", from, peer);
            return;
        }
        Long last = lastTimestamp.get(peer);
        if (last != null && timestamp <= last) {
            LOG.debug("replayed initiation from {} by {}", from, peer);
            return;
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
            return;
        }
        lastTimestamp.put(peer, timestamp);
        long localId = random.nextLong();
        byte[] m2;
        try {
            m2 = noise.writeMessage2(new byte[0]);
        } catch (GeneralSecurityException e) {
            return;
        }
        byte[] response = new byte[Wire.RESPONSE_LENGTH];
        response[0] = Wire.RESPONSE;
        Wire.putLong(response, 1, senderId);
        Wire.putLong(response, 9, localId);
        System.arraycopy(m2, 0, response, 17, m2.length);
        Connection c = new Connection(endpoint, localId, senderId, peer, from, false, noise.split(), endpoint.now());
        endpoint.paths.expect(localId, peer, PathTokens.of(noise, false)); // a path once the initiator confirms
        c.cachedResponse = response;
        c.initiatorEphemeral = ephemeral;
        if (ours != null) {
            remove(ours);
            c.mergedConnect = ours.future;
        }
        answered.put(senderId, c);
        endpoint.register(c);
        endpoint.transmit(response, from);
        c.onTimer(endpoint.now()); // arms its idle timer: an unconfirmed half-open session expires
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
    }

    void closeAll() {
        for (Pending p : List.copyOf(pendingById.values())) {
            remove(p);
            p.future.completeExceptionally(new SessionException("session endpoint closed"));
        }
    }
}
