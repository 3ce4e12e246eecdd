package dev.scout.session;

import dev.scout.dht.Ed25519PublicKey;
import dev.scout.session.handshake.Wire;
import dev.scout.session.path.PathTokens;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kept-open NAT permissions (docs/sessions.md): after a session with a contact, a tiny KEEP datagram
 * ({@code F4 | token}) goes every {@link SessionConfig#pathKeepEvery()} to the address the session saw
 * the contact at, from the shared socket, so both NATs keep the path's mappings and a later connect
 * needs one round trip instead of a rendezvous through the record. The contact's KEEPs, from that
 * address with its direction's token, make the path live. A contact silent for
 * {@link SessionConfig#pathSilence()} gets no more KEEPs (so a stale conntrack entry at its NAT can
 * expire) and its path is forgotten, as it is when the access policy no longer accepts the key.
 *
 * <p>State changes happen on the endpoint's loop thread; {@link #live} and {@link #knows} read from
 * any thread. At most {@value #MAX_PATHS} paths, one per contact.
 */
final class PathKeeper {
    /** Paths kept at once; a new one replaces the one heard from longest ago. */
    static final int MAX_PATHS = 256;

    private final SessionEndpoint endpoint;
    private final AccessPolicy policy;
    private final Map<Ed25519PublicKey, Path> byPeer = new ConcurrentHashMap<>();
    private final Map<Long, Path> byToken = new ConcurrentHashMap<>();
    /** Responder sessions awaiting key confirmation, by local connection id (bounded by the endpoint's). */
    private final Map<Long, Expected> expected = new HashMap<>();

    /** One contact's path: where to send KEEPs, what to expect back, when we last heard. */
    static final class Path {
        final Ed25519PublicKey peer;
        final InetSocketAddress address;
        final byte[] keep;
        final byte[] receive;
        volatile long heard;

        Path(Ed25519PublicKey peer, InetSocketAddress address, PathTokens tokens, long now) {
            this(peer, address, tokens.keepDatagram(), tokens.receive().clone(), now);
        }

        private Path(Ed25519PublicKey peer, InetSocketAddress address, byte[] keep, byte[] receive, long now) {
            this.peer = peer;
            this.address = address;
            this.keep = keep;
            this.receive = receive;
            this.heard = now;
        }
    }

    private record Expected(Ed25519PublicKey peer, PathTokens tokens) {
    }

    PathKeeper(SessionEndpoint endpoint, AccessPolicy policy) {
        this.endpoint = endpoint;
        this.policy = policy;
    }

    /** A session with {@code peer} at {@code address} is established: its path replaces any older one. */
    void established(Ed25519PublicKey peer, InetSocketAddress address, PathTokens tokens, long now) {
        forget(peer);
        if (byPeer.size() >= MAX_PATHS) {
            byPeer.values().stream().min((a, b) -> Long.compare(a.heard, b.heard)).ifPresent(p -> forget(p.peer));
        }
        Path p = new Path(peer, address, tokens, now);
        byPeer.put(peer, p);
        byToken.put(PathTokens.index(p.receive, 0), p);
    }

    /** A responder session's tokens, kept until the initiator confirms the keys ({@link #confirmed}). */
    void expect(long connectionId, Ed25519PublicKey peer, PathTokens tokens) {
        expected.put(connectionId, new Expected(peer, tokens));
    }

    /** The responder session {@code connectionId} is confirmed, its peer now at {@code address}. */
    void confirmed(long connectionId, InetSocketAddress address, long now) {
        Expected e = expected.remove(connectionId);
        if (e != null) {
            established(e.peer(), address, e.tokens(), now);
        }
    }

    /** The session {@code connectionId} ended (confirmed or not). */
    void discard(long connectionId) {
        expected.remove(connectionId);
    }

    /** Link thread: whether a KEEP datagram's token may be one of ours (checked fully by {@link #onKeep}). */
    boolean knows(byte[] keep) {
        return byToken.containsKey(PathTokens.index(keep, 1));
    }

    /**
     * A session with {@code peer} moved to {@code address} (relay first, then direct: docs/sessions.md):
     * its kept-open path follows, with the same tokens, so the next connect takes the punched path.
     */
    void moved(Ed25519PublicKey peer, InetSocketAddress address, long now) {
        Path p = byPeer.get(peer);
        if (p == null || p.address.equals(address)) {
            return;
        }
        Path q = new Path(peer, address, p.keep, p.receive, now);
        byPeer.put(peer, q);
        byToken.put(PathTokens.index(q.receive, 0), q);
    }

    /** A KEEP datagram: counts only with the whole token (constant-time) and from the path's address. */
    void onKeep(byte[] b, InetSocketAddress from, long now) {
        Path p = byToken.get(PathTokens.index(b, 1));
        if (p == null || !MessageDigest.isEqual(p.receive, java.util.Arrays.copyOfRange(b, 1, Wire.KEEP_LENGTH))
                || !p.address.equals(from)) {
            return;
        }
        if (!policy.accepts(p.peer)) {
            forget(p.peer);
            return;
        }
        p.heard = now;
    }

    /** Every {@link SessionConfig#pathKeepEvery()}: KEEPs to contacts not silent too long; the rest forgotten. */
    void tick(long now) {
        long silence = endpoint.config().pathSilence().toNanos();
        for (Path p : List.copyOf(byPeer.values())) {
            if (now - p.heard >= silence || !policy.accepts(p.peer)) {
                forget(p.peer);
            } else {
                endpoint.transmit(p.keep, p.address);
            }
        }
    }

    /** Any thread: the path's address if the contact was heard from lately and is still accepted. */
    Optional<InetSocketAddress> live(Ed25519PublicKey peer, long now) {
        Path p = byPeer.get(peer);
        long window = endpoint.config().pathKeepEvery().toNanos() * 5 / 2;
        if (p == null || now - p.heard >= window || !policy.accepts(peer)) {
            return Optional.empty();
        }
        return Optional.of(p.address);
    }

    /** Any path of {@code peer}, live or not (for tests and diagnostics). */
    Optional<Path> path(Ed25519PublicKey peer) {
        return Optional.ofNullable(byPeer.get(peer));
    }

    void forget(Ed25519PublicKey peer) {
        Path p = byPeer.remove(peer);
        if (p != null) {
            byToken.remove(PathTokens.index(p.receive, 0), p);
        }
    }

    void clear() {
        byPeer.clear();
        byToken.clear();
        expected.clear();
    }
}
