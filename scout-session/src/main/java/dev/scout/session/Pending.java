package dev.scout.session;

import dev.scout.dht.Ed25519PublicKey;
import dev.scout.session.handshake.HandshakeMacs;
import dev.scout.session.handshake.Initiation;
import dev.scout.session.handshake.NoiseIK;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.crypto.Mac;

/** One initiation in progress (the initiator's side of a {@link Handshaker}); loop thread only. */
final class Pending {
    final Ed25519PublicKey peer;
    List<InetSocketAddress> addresses;
    final NatType peerNat;
    final long localId;
    final byte[] ephemeral;
    final long timestamp;
    final Mac cookieTag;
    byte[] cookie; // the responder's, once it asked for one
    boolean cookieAdded; // the INIT without the cookie may still be answered (by another device of the peer)
    NoiseIK noise;
    NoiseIK noiseWithoutCookie;
    byte[] datagram;
    final CompletableFuture<Session> future;
    final long started;
    final long timeout;
    long nextSend;
    /** The peer's direct addresses to punch towards once a relayed handshake completes. */
    List<InetSocketAddress> punch = List.of();
    /** When the initiation first went to a relay route (the relayed round trip is measured from it). */
    long relaySentAt = Long.MIN_VALUE;

    Pending(Ed25519PublicKey peer, List<InetSocketAddress> addresses, NatType peerNat, long localId, byte[] ephemeral,
            long timestamp, CompletableFuture<Session> future, long started, long timeout) {
        this.peer = peer;
        this.addresses = addresses;
        this.peerNat = peerNat;
        this.localId = localId;
        this.ephemeral = ephemeral;
        this.timestamp = timestamp;
        this.cookieTag = HandshakeMacs.cookieTag(peer.bytes());
        this.future = future;
        this.started = started;
        this.timeout = timeout;
    }

    void addPunch(List<InetSocketAddress> more) {
        if (!more.isEmpty()) {
            List<InetSocketAddress> all = new java.util.ArrayList<>(punch);
            more.stream().filter(a -> !all.contains(a)).forEach(all::add);
            punch = List.copyOf(all);
        }
    }

    void relaySent(long now) {
        if (relaySentAt == Long.MIN_VALUE) {
            relaySentAt = now;
        }
    }

    /** (Re)makes the datagram and the Noise states after message 1 (with and, once a cookie came, without it). */
    void start(byte[] staticPrivate, Ed25519PublicKey identity, long device) throws GeneralSecurityException {
        Initiation i = Initiation.build(staticPrivate, identity, device, timestamp, localId, ephemeral, peer, cookie);
        noise = i.noise();
        datagram = i.datagram();
        noiseWithoutCookie = cookieAdded
                ? Initiation.build(staticPrivate, identity, device, timestamp, localId, ephemeral, peer, null).noise()
                : null;
    }
}
