package dev.scout.node.push;

import dev.scout.core.crypto.PairKeys;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.Ed25519PublicKey;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The poke datagram (docs/spec.md §7, "Push wake-ups"): a contact's daemon tells ours "I stored something
 * for you, read our record now". It shares the DHT socket with KRPC and the session datagrams; 0xF7
 * starts no bencoded value and no other datagram of ours.
 *
 * <pre>
 * POKE  F7 | version 01 | sender id (8) | kind u8 | timestamp u64 (ms) | mac (16)      35 bytes
 * </pre>
 * Keys come from the pair's X25519 secret ({@link PairKeys}): K = HKDF-Expand(PRK = the pair's encryption
 * key, info = "scout poke 1"), one HMAC-SHA256 block. The sender id is HMAC-SHA256(K, "scout poke id" ‖
 * the sender's Ed25519 key), first 8 bytes: each direction of each pair has its own, only the pair can
 * compute it, and the receiver finds the contact by it in O(1). The mac is HMAC-SHA256(K, the first 19
 * bytes), first 16 bytes, compared in constant time. The timestamp is the sender's clock, strictly
 * increasing per sender; the receiver takes a poke only if it is newer than the last one it took from
 * that contact and within {@link #MAX_SKEW_MILLIS} of its own clock (so a replay changes nothing).
 */
public final class PokeWire {
    public static final byte MARK = (byte) 0xF7;
    public static final byte VERSION = 1;
    /** A message was stored for the receiver. */
    public static final byte KIND_MESSAGE = 1;
    /** The pair's record changed (our devices, read marks, relay, intent). */
    public static final byte KIND_RECORD = 2;
    public static final int ID_BYTES = 8;
    public static final int MAC_BYTES = 16;
    static final int KIND_AT = 2 + ID_BYTES;
    static final int TIME_AT = KIND_AT + 1;
    static final int MAC_AT = TIME_AT + 8;
    public static final int LENGTH = MAC_AT + MAC_BYTES;
    /** How far a poke's timestamp may be from the receiver's clock. */
    public static final long MAX_SKEW_MILLIS = 120_000;

    private static final byte[] KEY_INFO = "scout poke 1\u0001".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ID_DOMAIN = "scout poke id".getBytes(StandardCharsets.US_ASCII);
    private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    });

    private PokeWire() {
    }

    /**
     * What one pair needs for pokes: the MAC key and both directions' sender ids.
     *
     * @param key      K (32 bytes)
     * @param ourId    the id of our pokes to the contact
     * @param theirId  the id of the contact's pokes to us
     */
    public record PairPokeKeys(byte[] key, long ourId, long theirId) {
        /** Derives them (one X25519 and a few HMACs: cache the result per contact). */
        public static PairPokeKeys derive(Ed25519KeyPair self, Ed25519PublicKey contact) {
            byte[] k = hmac(PairKeys.derive(self, contact).encryptionKey(), KEY_INFO, 0, KEY_INFO.length);
            return new PairPokeKeys(k, senderId(k, self.publicKey()), senderId(k, contact));
        }
    }

    private static long senderId(byte[] k, Ed25519PublicKey sender) {
        byte[] in = Arrays.copyOf(ID_DOMAIN, ID_DOMAIN.length + 32);
        System.arraycopy(sender.bytes(), 0, in, ID_DOMAIN.length, 32);
        return getLong(hmac(k, in, 0, in.length), 0);
    }

    /** {@return a poke from us with these keys, of {@code kind}, stamped {@code timestampMillis}} */
    public static byte[] encode(PairPokeKeys keys, byte kind, long timestampMillis) {
        byte[] d = new byte[LENGTH];
        d[0] = MARK;
        d[1] = VERSION;
        putLong(d, 2, keys.ourId());
        d[KIND_AT] = kind;
        putLong(d, TIME_AT, timestampMillis);
        System.arraycopy(hmac(keys.key(), d, 0, MAC_AT), 0, d, MAC_AT, MAC_BYTES);
        return d;
    }

    /** Whether {@code b} has a poke's marker, version and exact length (nothing else is looked at). */
    public static boolean looksLikePoke(byte[] b, int len) {
        return len == LENGTH && b[0] == MARK && b[1] == VERSION;
    }

    /** The sender id of a datagram that {@link #looksLikePoke}. */
    public static long senderId(byte[] b) {
        return getLong(b, 2);
    }

    /** Whether the mac is right for {@code key} (constant-time comparison). */
    public static boolean macValid(byte[] key, byte[] b) {
        byte[] expected = Arrays.copyOf(hmac(key, b, 0, MAC_AT), MAC_BYTES);
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(b, MAC_AT, LENGTH));
    }

    /** {@return the kind of a datagram that {@link #looksLikePoke}} */
    public static byte kind(byte[] b) {
        return b[KIND_AT];
    }

    /** {@return the sender's timestamp (ms) of a datagram that {@link #looksLikePoke}} */
    public static long timestamp(byte[] b) {
        return getLong(b, TIME_AT);
    }

    private static byte[] hmac(byte[] key, byte[] data, int off, int len) {
        try {
            Mac m = HMAC.get();
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            m.update(data, off, len);
            return m.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long getLong(byte[] b, int off) {
        return ByteBuffer.wrap(b, off, 8).getLong(); // big-endian
    }

    private static void putLong(byte[] b, int off, long v) {
        ByteBuffer.wrap(b, off, 8).putLong(v);
    }
}
