package dev.scout.session.handshake;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * A Noise CipherState: ChaCha20-Poly1305 (Bouncy Castle) under one key, with the Noise nonce layout
 * (4 zero bytes, then the 64-bit counter little-endian). Not thread-safe.
 */
public final class NoiseCipher {
    public static final int TAG_BYTES = 16;

    private final KeyParameter key;
    private final ChaCha20Poly1305 aead = new ChaCha20Poly1305();
    private final byte[] nonce = new byte[12];
    private long counter;

    public NoiseCipher(byte[] key32) {
        if (key32.length != 32) {
            throw new IllegalArgumentException("key must be 32 bytes");
        }
        this.key = new KeyParameter(key32.clone());
    }

    /** Encrypts with the next implicit nonce (handshake and test-vector use). */
    public byte[] encryptWithAd(byte[] ad, byte[] plaintext) {
        byte[] out = new byte[plaintext.length + TAG_BYTES];
        encrypt(counter++, ad, plaintext, 0, plaintext.length, out, 0);
        return out;
    }

    /** Decrypts with the next implicit nonce; the counter advances only on success. */
    public byte[] decryptWithAd(byte[] ad, byte[] ciphertext) throws GeneralSecurityException {
        byte[] out = new byte[ciphertext.length - TAG_BYTES];
        decrypt(counter, ad, ciphertext, 0, ciphertext.length, out, 0);
        counter++;
        return out;
    }

    /** Encrypts with an explicit nonce (transport packets carry their packet number). Returns bytes written. */
    public int encrypt(long n, byte[] ad, byte[] in, int off, int len, byte[] out, int outOff) {
        init(true, n, ad);
        int written = aead.processBytes(in, off, len, out, outOff);
        try {
            return written + aead.doFinal(out, outOff + written);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Decrypts with an explicit nonce; throws on a wrong tag (tampered or foreign packet). */
    public int decrypt(long n, byte[] ad, byte[] in, int off, int len, byte[] out, int outOff)
            throws GeneralSecurityException {
        if (len < TAG_BYTES) {
            throw new GeneralSecurityException("ciphertext shorter than its tag");
        }
        init(false, n, ad);
        int written = aead.processBytes(in, off, len, out, outOff);
        try {
            return written + aead.doFinal(out, outOff + written);
        } catch (InvalidCipherTextException e) {
            throw new GeneralSecurityException("authentication failed");
        }
    }

    private void init(boolean forEncryption, long n, byte[] ad) {
        Arrays.fill(nonce, (byte) 0);
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (n >>> (8 * i));
        }
        aead.init(forEncryption, new AEADParameters(key, TAG_BYTES * 8, nonce, ad));
    }
}
