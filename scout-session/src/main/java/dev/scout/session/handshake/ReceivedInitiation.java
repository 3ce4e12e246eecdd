package dev.scout.session.handshake;

import dev.scout.core.crypto.KeyExchange;
import dev.scout.dht.Ed25519PublicKey;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * An INIT that decrypted under our static key and whose identity key is the one it proved: who sent
 * it (identity, device, timestamp), and the responder's Noise state that answers it ({@link #response}).
 * Whether it is accepted (policy, replay, limits) is the {@code Handshaker}'s decision.
 */
public record ReceivedInitiation(NoiseIK noise, Ed25519PublicKey peer, long device, long timestamp) {

    /**
     * Decrypts Noise IK message 1 of the INIT {@code b} (costs Diffie-Hellmans: the gate admitted it).
     *
     * @return the initiation, or null: not for our key, tampered (ids, version, cookie are in the
     *         prologue), low-order, a payload of the wrong length, or a key it did not prove
     * @throws Rejected with the reason, for the debug log
     */
    public static ReceivedInitiation open(byte[] b, byte[] staticPrivate, SecureRandom random) throws Rejected {
        NoiseIK noise = NoiseIK.responder(Wire.prologue(b), staticPrivate, NoiseIK.newPrivateKey(random));
        try {
            byte[] payload = noise.readMessage1(Arrays.copyOfRange(b, Wire.INIT_NOISE, Wire.INIT_MAC1));
            if (payload.length != Wire.INIT_PAYLOAD) {
                return null;
            }
            Ed25519PublicKey peer = Ed25519PublicKey.of(Arrays.copyOf(payload, Ed25519PublicKey.BYTES));
            long device = Wire.getLong(payload, Ed25519PublicKey.BYTES);
            long timestamp = Wire.getLong(payload, Ed25519PublicKey.BYTES + 8);
            if (!MessageDigest.isEqual(KeyExchange.curve25519PublicKey(peer), noise.remoteStatic())) {
                throw new Rejected("names a key it did not prove");
            }
            return new ReceivedInitiation(noise, peer, device, timestamp);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new Rejected("rejected: " + e.getMessage());
        }
    }

    /**
     * {@return our RESPONSE datagram (Noise IK message 2 carrying {@code localId}) to the initiator's
     * {@code senderId}, or null if it cannot be written}
     */
    public byte[] response(long senderId, long localId) {
        byte[] payload = new byte[Wire.RESPONSE_PAYLOAD];
        Wire.putLong(payload, 0, localId);
        byte[] m2;
        try {
            m2 = noise.writeMessage2(payload);
        } catch (GeneralSecurityException e) {
            return null;
        }
        byte[] response = new byte[Wire.RESPONSE_LENGTH];
        response[0] = Wire.RESPONSE;
        Wire.putLong(response, 1, senderId);
        System.arraycopy(m2, 0, response, 9, m2.length);
        return response;
    }

    /** An initiation that decrypted but is not acceptable, with the reason. */
    public static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;

        Rejected(String reason) {
            super(reason, null, false, false);
        }
    }
}
