package dev.scout.session.handshake;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/** The Noise SymmetricState for SHA-256: chaining key, handshake hash and the current cipher. */
final class NoiseSymmetricState {
    static final int HASH_BYTES = 32;

    private byte[] ck;
    private byte[] h;
    private NoiseCipher cipher;

    NoiseSymmetricState(String protocolName) {
        byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
        h = name.length <= HASH_BYTES ? Arrays.copyOf(name, HASH_BYTES) : hash(name);
        ck = h.clone();
    }

    void mixHash(byte[] data) {
        h = hash(h, data);
    }

    void mixKey(byte[] ikm) {
        byte[][] out = hkdf(ck, ikm);
        ck = out[0];
        cipher = new NoiseCipher(out[1]);
    }

    byte[] encryptAndHash(byte[] plaintext) {
        byte[] c = cipher == null ? plaintext.clone() : cipher.encryptWithAd(h, plaintext);
        mixHash(c);
        return c;
    }

    byte[] decryptAndHash(byte[] ciphertext) throws GeneralSecurityException {
        byte[] p = cipher == null ? ciphertext.clone() : cipher.decryptWithAd(h, ciphertext);
        mixHash(ciphertext);
        return p;
    }

    /** The two transport keys: the initiator sends with the first. */
    byte[][] split() {
        return hkdf(ck, new byte[0]);
    }

    /**
     * Two secrets for uses beyond the transport keys, from the chaining key (known to both peers and
     * nobody else, unlike the handshake hash, which an observer who knows the responder's key can
     * recompute from the wire); {@code label} separates them from {@link #split()}'s empty input.
     */
    byte[][] exportSecrets(byte[] label) {
        return hkdf(ck, label);
    }

    byte[] handshakeHash() {
        return h.clone();
    }

    boolean hasKey() {
        return cipher != null;
    }

    private static byte[] hash(byte[]... parts) {
        SHA256Digest d = new SHA256Digest();
        for (byte[] p : parts) {
            d.update(p, 0, p.length);
        }
        byte[] out = new byte[HASH_BYTES];
        d.doFinal(out, 0);
        return out;
    }

    /** Noise's HKDF with two outputs (RFC 5869 extract + expand over HMAC-SHA256). */
    static byte[][] hkdf(byte[] chainingKey, byte[] ikm) {
        byte[] temp = hmac(chainingKey, ikm);
        byte[] out1 = hmac(temp, new byte[] {1});
        byte[] in2 = Arrays.copyOf(out1, HASH_BYTES + 1);
        in2[HASH_BYTES] = 2;
        byte[] out2 = hmac(temp, in2);
        Arrays.fill(temp, (byte) 0);
        return new byte[][] {out1, out2};
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(key));
        mac.update(data, 0, data.length);
        byte[] out = new byte[HASH_BYTES];
        mac.doFinal(out, 0);
        return out;
    }
}
