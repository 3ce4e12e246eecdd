package dev.scout.core.internal;

import dev.scout.dht.DecryptionException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * NaCl {@code crypto_secretbox} (XSalsa20-Poly1305), byte-compatible with libsodium.
 * A box is {@code tag(16) ‖ ciphertext}; it is as long as the plaintext plus 16.
 *
 * <p>A (key, nonce) pair must never seal two different messages. Random 24-byte
 * nonces make that safe, which is what {@link #sealWithRandomNonce} does.
 *
 * <pre>{@code
 * byte[] sealed = SecretBox.sealWithRandomNonce(key, plaintext); // nonce ‖ box
 * byte[] back   = SecretBox.openWithNoncePrefix(key, sealed);    // throws DecryptionException if tampered
 * }</pre>
 */
public final class SecretBox {

    /** Key length in bytes. */
    public static final int KEY_BYTES = 32;
    /** Nonce length in bytes. */
    public static final int NONCE_BYTES = 24;
    /** Authentication tag length in bytes (the overhead of a box). */
    public static final int TAG_BYTES = 16;

    private static final int POLY_KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretBox() {
    }

    /**
     * Encrypts and authenticates {@code plaintext}; returns {@code tag ‖ ciphertext}.
     *
     * @param key the key
     * @param nonce the nonce
     * @param plaintext the plaintext
     * @return the sealed message
     */
    public static byte[] seal(byte[] key, byte[] nonce, byte[] plaintext) {
        XSalsa20Engine cipher = cipher(key, nonce);
        byte[] box = new byte[TAG_BYTES + plaintext.length];
        byte[] polyKey = polyKey(cipher);
        // The engine continues at keystream byte 32, right after the Poly1305 key.
        cipher.processBytes(plaintext, 0, plaintext.length, box, TAG_BYTES);
        mac(polyKey, box, TAG_BYTES, plaintext.length, box, 0);
        Arrays.fill(polyKey, (byte) 0);
        return box;
    }

    /**
     * Verifies and decrypts a box made by {@link #seal}.
     *
     * @throws DecryptionException if the tag does not match (wrong key or nonce, or modified data)
     * @param key the key
     * @param nonce the nonce
     * @param box the box
     * @return the decrypted content
     */
    public static byte[] open(byte[] key, byte[] nonce, byte[] box) {
        if (box.length < TAG_BYTES) {
            throw new DecryptionException("box is " + box.length + " bytes, shorter than its "
                    + TAG_BYTES + "-byte tag");
        }
        XSalsa20Engine cipher = cipher(key, nonce);
        byte[] polyKey = polyKey(cipher);
        int length = box.length - TAG_BYTES;
        byte[] expected = new byte[TAG_BYTES];
        mac(polyKey, box, TAG_BYTES, length, expected, 0);
        Arrays.fill(polyKey, (byte) 0);
        // Constant-time compare: an early exit would tell an attacker how many tag bytes are right.
        if (!MessageDigest.isEqual(expected, Arrays.copyOf(box, TAG_BYTES))) {
            throw new DecryptionException("box failed authentication (wrong key or modified data)");
        }
        byte[] plaintext = new byte[length];
        cipher.processBytes(box, TAG_BYTES, length, plaintext, 0);
        return plaintext;
    }

    /**
     * Seals under a fresh random nonce and returns {@code nonce(24) ‖ box}.
     *
     * @param key the key
     * @param plaintext the plaintext
     * @return the bytes
     */
    public static byte[] sealWithRandomNonce(byte[] key, byte[] plaintext) {
        byte[] nonce = randomNonce();
        byte[] box = seal(key, nonce, plaintext);
        byte[] out = new byte[NONCE_BYTES + box.length];
        System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
        System.arraycopy(box, 0, out, NONCE_BYTES, box.length);
        return out;
    }

    /**
     * Opens {@code nonce(24) ‖ box} as made by {@link #sealWithRandomNonce}.
     *
     * @throws DecryptionException if the input is too short or fails authentication
     * @param key the key
     * @param nonceAndBox the nonce and box
     * @return the bytes
     */
    public static byte[] openWithNoncePrefix(byte[] key, byte[] nonceAndBox) {
        if (nonceAndBox.length < NONCE_BYTES + TAG_BYTES) {
            throw new DecryptionException("sealed data is " + nonceAndBox.length
                    + " bytes, shorter than nonce and tag (" + (NONCE_BYTES + TAG_BYTES) + ")");
        }
        byte[] nonce = Arrays.copyOf(nonceAndBox, NONCE_BYTES);
        byte[] box = Arrays.copyOfRange(nonceAndBox, NONCE_BYTES, nonceAndBox.length);
        return open(key, nonce, box);
    }

    /** {@return a fresh random 24-byte nonce} */
    public static byte[] randomNonce() {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return nonce;
    }

    private static XSalsa20Engine cipher(byte[] key, byte[] nonce) {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("secretbox key must be " + KEY_BYTES + " bytes");
        }
        if (nonce == null || nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException("secretbox nonce must be " + NONCE_BYTES + " bytes");
        }
        XSalsa20Engine engine = new XSalsa20Engine();
        engine.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        return engine;
    }

    /** The first 32 keystream bytes are the one-time Poly1305 key, as in NaCl. */
    private static byte[] polyKey(XSalsa20Engine cipher) {
        byte[] polyKey = new byte[POLY_KEY_BYTES];
        cipher.processBytes(new byte[POLY_KEY_BYTES], 0, POLY_KEY_BYTES, polyKey, 0);
        return polyKey;
    }

    private static void mac(byte[] polyKey, byte[] data, int offset, int length, byte[] out, int outOffset) {
        Poly1305 poly = new Poly1305();
        poly.init(new KeyParameter(polyKey));
        poly.update(data, offset, length);
        poly.doFinal(out, outOffset);
    }
}
