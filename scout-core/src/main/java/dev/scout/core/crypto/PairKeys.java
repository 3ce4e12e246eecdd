package dev.scout.core.crypto;

import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.Ed25519PublicKey;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * The keys two people share, derived from their X25519 secret with HKDF-SHA256
 * (salt {@code "scout/v1"}). One secret yields separate keys per purpose so that
 * no key is ever used for two jobs:
 * <ul>
 *   <li>{@link #encryptionKey()} encrypts the contact record ({@code "scout/v1 encryption key"});</li>
 *   <li>{@link #recordIdentity()} signs the contact record; it is an Ed25519 key pair whose seed
 *       is derived with {@code "scout/v1 signing key"}, so both people can write the record;</li>
 *   <li>{@link #messageKey()} seals offline messages ({@code "scout/v1 message key"}).</li>
 * </ul>
 * Both sides of a pair derive identical keys. {@link #toString()} never shows secrets.
 *
 * <pre>{@code
 * PairKeys keys = PairKeys.derive(me, friendPublicKey);
 * byte[] target = keys.recordTarget();            // where the contact record lives in the DHT
 * byte[] value  = ContactRecord.seal(keys, entries);
 * }</pre>
 */
public final class PairKeys {

    /** Length of each derived key in bytes. */
    public static final int KEY_BYTES = 32;
    /** Length of a record target (a DHT id) in bytes. */
    public static final int TARGET_BYTES = 20;

    private static final byte[] SALT = ascii("scout/v1");
    private static final byte[] INFO_ENCRYPTION = ascii("scout/v1 encryption key");
    private static final byte[] INFO_SIGNING = ascii("scout/v1 signing key");
    private static final byte[] INFO_MESSAGE = ascii("scout/v1 message key");

    private final byte[] encryptionKey;
    private final byte[] messageKey;
    private final Ed25519KeyPair recordIdentity;

    private PairKeys(byte[] encryptionKey, byte[] messageKey, Ed25519KeyPair recordIdentity) {
        this.encryptionKey = encryptionKey;
        this.messageKey = messageKey;
        this.recordIdentity = recordIdentity;
    }

    /**
     * Keys shared by {@code self} and {@code peer}.
     *
     * @throws dev.scout.dht.LowOrderKeyException if {@code peer} has small order
     * @throws dev.scout.dht.KeyFormatException if {@code peer} is not a valid Ed25519 key
     * @param self one's own key pair
     * @param peer the peer's public key
     * @return the pair keys
     */
    public static PairKeys derive(Ed25519KeyPair self, Ed25519PublicKey peer) {
        byte[] shared = KeyExchange.sharedSecret(self, peer);
        try {
            return ofSharedSecret(shared);
        } finally {
            java.util.Arrays.fill(shared, (byte) 0);
        }
    }

    /**
     * Keys from an already computed 32-byte shared secret (not retained).
     *
     * @param shared the 32-byte X25519 shared secret
     * @return the pair keys
     */
    public static PairKeys ofSharedSecret(byte[] shared) {
        if (shared == null || shared.length != KeyExchange.SHARED_SECRET_BYTES) {
            throw new IllegalArgumentException("shared secret must be "
                    + KeyExchange.SHARED_SECRET_BYTES + " bytes");
        }
        byte[] signingSeed = expand(shared, INFO_SIGNING);
        Ed25519KeyPair recordIdentity = Ed25519KeyPair.ofSeed(signingSeed);
        java.util.Arrays.fill(signingSeed, (byte) 0);
        return new PairKeys(expand(shared, INFO_ENCRYPTION), expand(shared, INFO_MESSAGE), recordIdentity);
    }

    private static byte[] expand(byte[] shared, byte[] info) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(shared, SALT, info));
        byte[] out = new byte[KEY_BYTES];
        hkdf.generateBytes(out, 0, out.length);
        return out;
    }

    /**
     * Secretbox key for the contact record (a copy).
     *
     * @return the bytes
     */
    public byte[] encryptionKey() {
        return encryptionKey.clone();
    }

    /**
     * Secretbox key for offline message bodies (a copy).
     *
     * @return the bytes
     */
    public byte[] messageKey() {
        return messageKey.clone();
    }

    /** {@return the key pair that signs the contact record; both people hold it} */
    public Ed25519KeyPair recordIdentity() {
        return recordIdentity;
    }

    /**
     * Public key of {@link #recordIdentity()}: the BEP 44 mutable item's {@code k}.
     *
     * @return the ed25519 public key
     */
    public Ed25519PublicKey recordPublicKey() {
        return recordIdentity.publicKey();
    }

    /**
     * DHT target of the contact record with an empty salt: SHA-1(record public key).
     *
     * @return the bytes
     */
    public byte[] recordTarget() {
        return recordTarget(new byte[0]);
    }

    /**
     * DHT target of the contact record: SHA-1(record public key ‖ salt), as BEP 44 defines it.
     *
     * @param salt the salt (empty: none)
     * @return the bytes
     */
    public byte[] recordTarget(byte[] salt) {
        SHA1Digest sha1 = new SHA1Digest();
        byte[] pk = recordPublicKey().bytes();
        sha1.update(pk, 0, pk.length);
        sha1.update(salt, 0, salt.length);
        byte[] out = new byte[TARGET_BYTES];
        sha1.doFinal(out, 0);
        return out;
    }

    @Override
    public String toString() {
        return "PairKeys[recordPublicKey=" + recordPublicKey() + "]";
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
