package dev.scout.dht.item;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Signs BEP 44 mutable items with an Ed25519 key made from a 32-byte seed. Keeps the seed private:
 * {@link #toString()} shows only the public key.
 *
 * <pre>{@code
 * ItemSigner signer = ItemSigner.fromSeed(seed);
 * MutableItem item = MutableItem.sign(signer, salt, 1, Bencode.encode(Bencode.bytes("hi")));
 * }</pre>
 */
public final class ItemSigner {
    private final byte[] seed;
    private final byte[] publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];

    private ItemSigner(byte[] seed) {
        if (seed.length != Ed25519.SECRET_KEY_SIZE) {
            throw new ItemException("an Ed25519 seed is 32 bytes, got " + seed.length);
        }
        this.seed = seed.clone();
        Ed25519.generatePublicKey(this.seed, 0, publicKey, 0);
    }

    public static ItemSigner fromSeed(byte[] seed) {
        return new ItemSigner(seed);
    }

    public byte[] publicKey() {
        return publicKey.clone();
    }

    public byte[] sign(byte[] message) {
        byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(seed, 0, message, 0, message.length, sig, 0);
        return sig;
    }

    /** Verifies an Ed25519 signature; false for malformed keys or signatures rather than an exception. */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey == null || signature == null || publicKey.length != Ed25519.PUBLIC_KEY_SIZE
                || signature.length != Ed25519.SIGNATURE_SIZE) {
            return false;
        }
        try {
            return Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length);
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "ItemSigner[" + java.util.HexFormat.of().formatHex(publicKey) + "]";
    }
}
