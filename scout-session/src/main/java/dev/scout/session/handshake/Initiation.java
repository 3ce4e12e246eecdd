package dev.scout.session.handshake;

import dev.scout.core.crypto.KeyExchange;
import dev.scout.dht.Ed25519PublicKey;
import java.security.GeneralSecurityException;

/**
 * One INIT datagram and the initiator's Noise state after writing it. Deterministic in its inputs,
 * so the state can be made again (after a forged response spoiled it) for the same datagram.
 *
 * @param noise the initiator's handshake state after message 1
 * @param datagram {@code F1 | version | sender id | cookie | message 1 | mac1}
 */
public record Initiation(NoiseIK noise, byte[] datagram) {

    /**
     * Builds an initiation.
     *
     * @param staticPrivate our X25519 static key (from the identity)
     * @param identity our identity key (goes encrypted into the payload)
     * @param device our device id (goes encrypted into the payload; timestamps are kept per device)
     * @param timestamp milliseconds, strictly increasing per device
     * @param senderId our connection id
     * @param ephemeral our ephemeral X25519 private key
     * @param responder the contact's identity key
     * @param cookie the responder's cookie for our address, or null (all zero)
     */
    public static Initiation build(byte[] staticPrivate, Ed25519PublicKey identity, long device, long timestamp, long senderId,
                            byte[] ephemeral, Ed25519PublicKey responder, byte[] cookie) throws GeneralSecurityException {
        byte[] d = new byte[Wire.INIT_LENGTH];
        d[0] = Wire.INIT;
        d[1] = Wire.VERSION;
        Wire.putLong(d, 2, senderId);
        if (cookie != null) {
            System.arraycopy(cookie, 0, d, Wire.INIT_COOKIE, Wire.COOKIE_BYTES);
        }
        byte[] payload = new byte[Wire.INIT_PAYLOAD];
        System.arraycopy(identity.bytes(), 0, payload, 0, Ed25519PublicKey.BYTES);
        Wire.putLong(payload, Ed25519PublicKey.BYTES, device);
        Wire.putLong(payload, Ed25519PublicKey.BYTES + 8, timestamp);
        NoiseIK noise = NoiseIK.initiator(Wire.prologue(d), staticPrivate, KeyExchange.curve25519PublicKey(responder),
                ephemeral);
        byte[] m1 = noise.writeMessage1(payload);
        System.arraycopy(m1, 0, d, Wire.INIT_NOISE, m1.length);
        HandshakeMacs.sealInit(d, HandshakeMacs.mac1(responder.bytes()));
        return new Initiation(noise, d);
    }
}
