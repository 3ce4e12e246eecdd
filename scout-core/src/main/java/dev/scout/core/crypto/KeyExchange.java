package dev.scout.core.crypto;

import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.Ed25519PublicKey;

import dev.scout.dht.KeyFormatException;
import dev.scout.dht.LowOrderKeyException;
import java.math.BigInteger;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Diffie-Hellman between two Ed25519 identities: both sides convert their keys to
 * Curve25519 and run X25519, so {@code sharedSecret(alice, bob.publicKey())} equals
 * {@code sharedSecret(bob, alice.publicKey())}. The conversion is the usual one
 * (as in libsodium's {@code crypto_sign_ed25519_*_to_curve25519}).
 *
 * <p>Most callers want {@link PairKeys#derive}, which feeds this secret through HKDF.
 *
 * <pre>{@code
 * byte[] shared = KeyExchange.sharedSecret(me, Ed25519PublicKey.parse(friendKey));
 * }</pre>
 */
public final class KeyExchange {

    /** Length of the shared secret in bytes. */
    public static final int SHARED_SECRET_BYTES = 32;

    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));

    private KeyExchange() {
    }

    /**
     * The 32-byte X25519 shared secret between {@code self} and {@code peer}.
     *
     * @throws LowOrderKeyException if {@code peer} has small order (the secret would be predictable)
     * @throws KeyFormatException if {@code peer} is not a valid Ed25519 public key
     * @param self one's own key pair
     * @param peer the peer's public key
     * @return the 32-byte X25519 shared secret between {@code self} and {@code peer}
     */
    public static byte[] sharedSecret(Ed25519KeyPair self, Ed25519PublicKey peer) {
        byte[] peerU = toCurve25519PublicKey(peer);
        byte[] shared = new byte[SHARED_SECRET_BYTES];
        byte[] scalar = toCurve25519PrivateKey(self);
        X25519.scalarMult(scalar, 0, peerU, 0, shared, 0);
        java.util.Arrays.fill(scalar, (byte) 0);
        if (isAllZero(shared)) {
            throw new LowOrderKeyException("peer public key " + peer + " has small order");
        }
        // Checked after the low-order test so that small-order keys get the more precise error.
        // Full validation (on the curve, canonical, in the prime-order subgroup) matches libsodium.
        if (!Ed25519.validatePublicKeyFull(peer.bytes(), 0)) {
            java.util.Arrays.fill(shared, (byte) 0);
            throw new KeyFormatException("peer public key " + peer + " is not a valid Ed25519 public key");
        }
        return shared;
    }

    /**
     * The X25519 private key of an identity (its static key in direct-session handshakes). The
     * caller owns the returned copy and should wipe it when done.
     *
     * @param identity the identity's key pair
     * @return the clamped 32-byte X25519 scalar
     */
    public static byte[] curve25519PrivateKey(Ed25519KeyPair identity) {
        return toCurve25519PrivateKey(identity);
    }

    /**
     * The X25519 public key (Montgomery u) of an Ed25519 public key.
     *
     * @param key the Ed25519 public key
     * @return the 32-byte X25519 public key
     * @throws LowOrderKeyException for the neutral point
     */
    public static byte[] curve25519PublicKey(Ed25519PublicKey key) {
        return toCurve25519PublicKey(key);
    }

    /** First half of SHA-512(seed), clamped: the scalar Ed25519 itself signs with. */
    static byte[] toCurve25519PrivateKey(Ed25519KeyPair identity) {
        SHA512Digest sha512 = new SHA512Digest();
        byte[] hash = new byte[sha512.getDigestSize()];
        byte[] seed = identity.seed();
        sha512.update(seed, 0, Ed25519KeyPair.SEED_BYTES);
        java.util.Arrays.fill(seed, (byte) 0);
        sha512.doFinal(hash, 0);
        byte[] scalar = java.util.Arrays.copyOf(hash, X25519.SCALAR_SIZE);
        java.util.Arrays.fill(hash, (byte) 0);
        scalar[0] &= (byte) 248;
        scalar[31] &= 127;
        scalar[31] |= 64;
        return scalar;
    }

    /**
     * Montgomery u = (1 + y) / (1 - y) mod p of the Edwards point. Only public data is
     * involved, so variable-time BigInteger arithmetic is acceptable.
     *
     * @throws LowOrderKeyException for y = 1 (the neutral point), where 1 - y has no inverse
     */
    static byte[] toCurve25519PublicKey(Ed25519PublicKey key) {
        byte[] littleEndian = key.bytes();
        byte[] bigEndian = new byte[Ed25519PublicKey.BYTES];
        for (int i = 0; i < Ed25519PublicKey.BYTES; i++) {
            bigEndian[i] = littleEndian[Ed25519PublicKey.BYTES - 1 - i];
        }
        bigEndian[0] &= 0x7F; // drop the sign bit of x
        BigInteger y = new BigInteger(1, bigEndian).mod(P);
        BigInteger oneMinusY = BigInteger.ONE.subtract(y).mod(P);
        if (oneMinusY.signum() == 0) {
            throw new LowOrderKeyException("peer public key " + key + " is the neutral point (small order)");
        }
        BigInteger u = BigInteger.ONE.add(y).multiply(oneMinusY.modInverse(P)).mod(P);
        byte[] uBigEndian = u.toByteArray();
        byte[] out = new byte[X25519.POINT_SIZE];
        // toByteArray is minimal big-endian, possibly with a leading sign byte; emit 32 bytes little-endian.
        for (int i = 0; i < out.length && i < uBigEndian.length; i++) {
            out[i] = uBigEndian[uBigEndian.length - 1 - i];
        }
        return out;
    }

    /** Constant-time: the shared secret is secret, so no early exit on the first non-zero byte. */
    static boolean isAllZero(byte[] bytes) {
        int acc = 0;
        for (byte b : bytes) {
            acc |= b;
        }
        return ((acc & 0xFF) - 1) >>> 31 == 1;
    }
}
