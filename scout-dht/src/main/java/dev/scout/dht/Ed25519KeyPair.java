package dev.scout.dht;

import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 key pair: a person's identity, the signing key of a contact record, or the key
 * that signs BEP 44 mutable items. The secret is the 32-byte seed; everything else is derived
 * from it.
 *
 * <p>{@link #toString()} shows only the public key so that logging an identity can
 * never leak the seed. Instances are immutable and thread-safe.
 *
 * <pre>{@code
 * Ed25519KeyPair me = Ed25519KeyPair.generate();
 * byte[] saved = me.seed();                 // store this secretly
 * Ed25519KeyPair again = Ed25519KeyPair.ofSeed(saved);
 * byte[] sig = me.sign("hello".getBytes(StandardCharsets.UTF_8));
 * me.publicKey().verify("hello".getBytes(StandardCharsets.UTF_8), sig); // true
 * }</pre>
 */
public final class Ed25519KeyPair {

    /** Length of the secret seed in bytes. */
    public static final int SEED_BYTES = 32;
    /** Length of a signature in bytes. */
    public static final int SIGNATURE_BYTES = Ed25519.SIGNATURE_SIZE;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] seed;
    private final Ed25519PrivateKeyParameters privateKey;
    private final Ed25519PublicKeyParameters publicKeyParameters;
    private final Ed25519PublicKey publicKey;

    private Ed25519KeyPair(byte[] seed) {
        this.seed = seed;
        this.privateKey = new Ed25519PrivateKeyParameters(seed, 0);
        // Computed once: deriving the public key is the expensive half of signing.
        this.publicKeyParameters = privateKey.generatePublicKey();
        this.publicKey = Ed25519PublicKey.of(publicKeyParameters.getEncoded());
    }

    /** {@return a new random identity} */
    public static Ed25519KeyPair generate() {
        byte[] seed = new byte[SEED_BYTES];
        RANDOM.nextBytes(seed);
        return new Ed25519KeyPair(seed);
    }

    /**
     * The key pair belonging to a 32-byte seed (copied); {@link KeyFormatException} for another length.
     *
     * @param seed the 32-byte secret seed
     * @return the key pair belonging to a 32-byte seed (copied)
     */
    public static Ed25519KeyPair ofSeed(byte[] seed) {
        if (seed == null || seed.length != SEED_BYTES) {
            throw new KeyFormatException("seed must be " + SEED_BYTES + " bytes, got "
                    + (seed == null ? "null" : seed.length + " bytes"));
        }
        return new Ed25519KeyPair(seed.clone());
    }

    /** {@return the public half, safe to share} */
    public Ed25519PublicKey publicKey() {
        return publicKey;
    }

    /**
     * A 64-byte Ed25519 signature over {@code message}.
     *
     * @param message the message
     * @return a 64-byte Ed25519 signature over {@code message}
     */
    public byte[] sign(byte[] message) {
        byte[] signature = new byte[SIGNATURE_BYTES];
        // The private key caches its public half, so signing does not re-derive it.
        privateKey.sign(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
        return signature;
    }

    /**
     * The secret seed (a copy). Treat it like a password.
     *
     * @return the secret seed (a copy)
     */
    public byte[] seed() {
        return seed.clone();
    }

    @Override
    public String toString() {
        return "Ed25519KeyPair[publicKey=" + publicKey.toZBase32() + "]";
    }
}
