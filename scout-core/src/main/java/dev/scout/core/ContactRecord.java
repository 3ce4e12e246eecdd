package dev.scout.core;

import dev.scout.dht.FormatException;
import dev.scout.dht.LimitExceededException;
import dev.scout.dht.DecryptionException;
import dev.scout.core.crypto.PairKeys;
import dev.scout.core.internal.SecretBox;
import java.util.List;

/**
 * The encrypted value {@code v} of a pair's contact record:
 * {@code nonce(24) ‖ secretbox(encryption key, nonce, entry vector)}. Only the two
 * people of the pair can read or (with {@link PairKeys#recordIdentity()}) sign it.
 * Every write uses a fresh random nonce, so equal contents never repeat a ciphertext.
 *
 * <pre>{@code
 * PairKeys keys = PairKeys.derive(me, friend);
 * byte[] v = ContactRecord.seal(keys, entries);        // at most 996 bytes
 * List<RecordEntry> back = ContactRecord.open(keys, v);
 * }</pre>
 */
public final class ContactRecord {

    /** Largest sealed value: nonce + tag + the largest plaintext. */
    public static final int MAX_VALUE_BYTES =
            SecretBox.NONCE_BYTES + SecretBox.TAG_BYTES + EntryVector.MAX_PLAINTEXT_BYTES;

    private ContactRecord() {
    }

    /**
     * Encodes and encrypts entries under a fresh random nonce.
     *
     * @throws LimitExceededException if the entries do not fit (a record holds at most about a thousand bytes of entries)
     * @param keys the key pair
     * @param entries the entries
     * @return the sealed message
     */
    public static byte[] seal(PairKeys keys, List<RecordEntry> entries) {
        return seal(keys, entries, SecretBox.randomNonce());
    }

    /**
     * As {@link #seal(PairKeys, List)} with a chosen nonce; for tests and reproducible vectors.
     *
     * @param keys the key pair
     * @param entries the entries
     * @param nonce the nonce
     * @return the sealed message
     */
    public static byte[] seal(PairKeys keys, List<RecordEntry> entries, byte[] nonce) {
        byte[] plaintext = EntryVector.encode(entries);
        byte[] box = SecretBox.seal(keys.encryptionKey(), nonce, plaintext);
        byte[] value = new byte[nonce.length + box.length];
        System.arraycopy(nonce, 0, value, 0, nonce.length);
        System.arraycopy(box, 0, value, nonce.length, box.length);
        return value;
    }

    /**
     * Decrypts and decodes a record value.
     *
     * @throws DecryptionException if the value is too short or not sealed with this pair's key
     * @throws FormatException if it decrypts but the entry vector is malformed
     * @param keys the key pair
     * @param value the value
     * @return the decrypted content
     */
    public static List<RecordEntry> open(PairKeys keys, byte[] value) {
        return EntryVector.decode(SecretBox.openWithNoncePrefix(keys.encryptionKey(), value));
    }
}
