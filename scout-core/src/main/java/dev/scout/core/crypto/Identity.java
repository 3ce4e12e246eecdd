package dev.scout.core.crypto;

import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 key pair: a person's identity (or a contact record's signing key).
 * The secret is the 32-byte seed; everything else is derived from it.
 *
 * <p>{@link #toString()} shows only the public key so that logging an identity can
 * never leak the seed. Instances are immutable and thread-safe.
 *
 * <pre>{@code
 * Identity me = Identity.generate();
 * byte[] saved = me.seed();                 // store this secretly
 * Identity again = Identity.fromSeed(saved);
 * byte[] sig = me.sign("hello".getBytes(StandardCharsets.UTF_8));
 * me.publicKey().verify("hello".getBytes(StandardCharsets.UTF_8), sig); // true
 * }</pre>
 */
public final class Identity {

    /** Length of the secret seed in bytes. */
    public static final int SEED_BYTES = 32;
    /** Length of a signature in bytes. */
    public static final int SIGNATURE_BYTES = Ed25519.SIGNATURE_SIZE;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] seed;
    private final Ed25519PrivateKeyParameters privateKey;
    private final Ed25519PublicKeyParameters publicKeyParameters;
    private final PublicKey publicKey;

    private Identity(byte[] seed) {
        this.seed = seed;
        this.privateKey = new Ed25519PrivateKeyParameters(seed, 0);
        // Computed once: deriving the public key is the expensive half of signing.
        this.publicKeyParameters = privateKey.generatePublicKey();
        this.publicKey = PublicKey.fromBytes(publicKeyParameters.getEncoded());
    }

    /** A new random identity. */
    public static Identity generate() {
        byte[] seed = new byte[SEED_BYTES];
        RANDOM.nextBytes(seed);
        return new Identity(seed);
    }

    /** The identity belonging to a 32-byte seed (copied). */
    public static Identity fromSeed(byte[] seed) {
        if (seed == null || seed.length != SEED_BYTES) {
            throw new IllegalArgumentException("seed must be " + SEED_BYTES + " bytes, got "
                    + (seed == null ? "null" : seed.length + " bytes"));
        }
        return new Identity(seed.clone());
    }

    /** The public half, safe to share. */
    public PublicKey publicKey() {
        return publicKey;
    }

    /** A 64-byte Ed25519 signature over {@code message}. */
    public byte[] sign(byte[] message) {
        byte[] signature = new byte[SIGNATURE_BYTES];
        privateKey.sign(Ed25519.Algorithm.Ed25519, publicKeyParameters, null,
                message, 0, message.length, signature, 0);
        return signature;
    }

    /** The secret seed (a copy). Treat it like a password. */
    public byte[] seed() {
        return seed.clone();
    }

    /** Direct view for package code that promises not to modify or leak it. */
    byte[] unsafeSeed() {
        return seed;
    }

    @Override
    public String toString() {
        return "Identity[publicKey=" + publicKey.toZBase32() + "]";
    }
}
