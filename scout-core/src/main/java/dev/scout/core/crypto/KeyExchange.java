package dev.scout.core.crypto;

import dev.scout.core.KeyFormatException;
import dev.scout.core.LowOrderKeyException;
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
 * byte[] shared = KeyExchange.sharedSecret(me, PublicKey.parse(friendKey));
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
     */
    public static byte[] sharedSecret(Identity self, PublicKey peer) {
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
        if (!Ed25519.validatePublicKeyFull(peer.unsafeBytes(), 0)) {
            java.util.Arrays.fill(shared, (byte) 0);
            throw new KeyFormatException("peer public key " + peer + " is not a valid Ed25519 public key");
        }
        return shared;
    }

    /**
     * The X25519 private key of an identity (its static key in direct-session handshakes). The
     * caller owns the returned copy and should wipe it when done.
     */
    public static byte[] curve25519PrivateKey(Identity identity) {
        return toCurve25519PrivateKey(identity);
    }

    /**
     * The X25519 public key (Montgomery u) of an Ed25519 public key.
     *
     * @throws LowOrderKeyException for the neutral point
     */
    public static byte[] curve25519PublicKey(PublicKey key) {
        return toCurve25519PublicKey(key);
    }

    /** First half of SHA-512(seed), clamped: the scalar Ed25519 itself signs with. */
    static byte[] toCurve25519PrivateKey(Identity identity) {
        SHA512Digest sha512 = new SHA512Digest();
        byte[] hash = new byte[sha512.getDigestSize()];
        sha512.update(identity.unsafeSeed(), 0, Identity.SEED_BYTES);
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
    static byte[] toCurve25519PublicKey(PublicKey key) {
        byte[] littleEndian = key.unsafeBytes();
        byte[] bigEndian = new byte[PublicKey.BYTES];
        for (int i = 0; i < PublicKey.BYTES; i++) {
            bigEndian[i] = littleEndian[PublicKey.BYTES - 1 - i];
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
