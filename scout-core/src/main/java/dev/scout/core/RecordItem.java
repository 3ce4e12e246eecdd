package dev.scout.core;

import dev.scout.dht.FormatException;
import dev.scout.dht.LimitExceededException;
import dev.scout.dht.DecryptionException;

import dev.scout.core.crypto.PairKeys;
import dev.scout.dht.bencode.Bencode;
import dev.scout.dht.bencode.BencodeException;
import dev.scout.dht.bencode.BencodeLimits;
import dev.scout.dht.ItemException;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.Limits;
import dev.scout.dht.MutableItem;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A contact record as a BEP 44 mutable item: signed by the pair's record key
 * ({@link PairKeys#recordIdentity()}), stored under SHA-1(record public key ‖ salt), and
 * carrying as {@code v} the bencoded byte string of {@link ContactRecord#seal} (a fresh
 * nonce on every {@link #seal}). The salt is empty unless the application uses one as a
 * namespace.
 *
 * <pre>{@code
 * RecordItem written = RecordItem.seal(keys, new byte[0], 1, entries);
 * dht.putMutable(written.item());
 * RecordItem read = RecordItem.open(keys, dht.getMutable(keys.recordPublicKey().bytes(), new byte[0])
 *         .join().orElseThrow());
 * }</pre>
 *
 * @param item the signed DHT item
 * @param entries the entries it holds, in stored order
 */
public record RecordItem(MutableItem item, List<RecordEntry> entries) {

    private static final BencodeLimits VALUE_LIMITS = new BencodeLimits(1, 1, Limits.MAX_VALUE_BYTES);

    /**
     * Copies the entries.
     *
     * @param item the signed DHT item
     * @param entries the entries it holds, in stored order
     */
    public RecordItem {
        Objects.requireNonNull(item, "item");
        entries = List.copyOf(entries);
    }

    /** {@return the BEP 44 sequence number} */
    public long seq() {
        return item.seq();
    }

    /**
     * The signer of the pair's contact record (BEP 44 key pair from the derived signing seed).
     *
     * @param keys the key pair
     * @return the signer of the pair's contact record (BEP 44 key pair from the derived signing seed)
     */
    public static Ed25519KeyPair signer(PairKeys keys) {
        byte[] seed = keys.recordIdentity().seed();
        try {
            return Ed25519KeyPair.ofSeed(seed);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /**
     * Encrypts and signs {@code entries} as version {@code seq} of the record.
     *
     * @throws LimitExceededException if the entries or the salt do not fit; nothing is sent
     * @throws IllegalArgumentException if two entries share an id
     * @param keys the key pair
     * @param salt the salt (empty: none)
     * @param seq the sequence number
     * @param entries the entries
     * @return the sealed message
     */
    public static RecordItem seal(PairKeys keys, byte[] salt, long seq, List<RecordEntry> entries) {
        return seal(signer(keys), keys, salt, seq, entries);
    }

    static RecordItem seal(Ed25519KeyPair signer, PairKeys keys, byte[] salt, long seq, List<RecordEntry> entries) {
        checkSalt(salt);
        byte[] value = Bencode.encode(ContactRecord.seal(keys, entries));
        try {
            return new RecordItem(MutableItem.sign(signer, salt, seq, value), entries);
        } catch (ItemException e) {
            // Unreachable while EntryVector.MAX_PLAINTEXT_BYTES keeps v within 1000 bytes.
            throw new LimitExceededException("contact record does not fit a DHT item: " + e.getMessage(), e);
        }
    }

    /**
     * Authenticates and decrypts a record read from the DHT.
     *
     * @throws RecordDecryptionException if the item is not signed by this pair's record key, its
     *     value is not a byte string, or the value does not decrypt with this pair's key
     * @throws FormatException if it decrypts but the entry vector inside is malformed
     * @param keys the key pair
     * @param item the item
     * @return the decrypted content
     */
    public static RecordItem open(PairKeys keys, MutableItem item) {
        long seq = item.seq();
        if (!item.publicKey().equals(keys.recordPublicKey())) {
            throw new RecordDecryptionException(seq, "contact record seq " + seq
                    + " is signed by another key than this pair's record key");
        }
        if (!item.verify()) {
            throw new RecordDecryptionException(seq, "contact record seq " + seq + " has an invalid signature");
        }
        Object decoded;
        try {
            decoded = Bencode.decode(item.value(), VALUE_LIMITS);
        } catch (BencodeException e) {
            throw new RecordDecryptionException(seq, "contact record seq " + seq
                    + " is not a bencoded byte string: " + e.getMessage(), e);
        }
        if (!(decoded instanceof byte[] sealed)) {
            throw new RecordDecryptionException(seq, "contact record seq " + seq + " is not a bencoded byte string");
        }
        List<RecordEntry> entries;
        try {
            entries = ContactRecord.open(keys, sealed);
        } catch (DecryptionException e) {
            throw new RecordDecryptionException(seq, "contact record seq " + seq
                    + " does not decrypt with this pair's key (modified, or sealed with another key): "
                    + e.getMessage(), e);
        } catch (FormatException e) {
            throw new FormatException("contact record seq " + seq + " decrypts to a malformed entry vector: "
                    + e.getMessage(), e);
        }
        return new RecordItem(item, entries);
    }

    static void checkSalt(byte[] salt) {
        Objects.requireNonNull(salt, "salt (use an empty array for none)");
        if (salt.length > Limits.MAX_SALT_BYTES) {
            throw new LimitExceededException("salt is " + salt.length + " bytes, at most "
                    + Limits.MAX_SALT_BYTES + " allowed");
        }
    }

    @Override
    public String toString() {
        return "RecordItem[seq=" + seq() + ", entries=" + entries.size() + "]";
    }
}
