package dev.scout.session.relay.internal;

import dev.scout.session.handshake.Wire;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Relay datagrams (docs/sessions.md, "Relaying"), on the same socket as KRPC and the session
 * datagrams. They start with 0xF5, which no bencoded value (KRPC starts with {@code d}) and no session
 * datagram (0xF1..0xF4, 0xF6) or poke (0xF7) starts with; the second byte is the operation:
 *
 * <pre>
 * REGISTER    F5 | 01 | probe (8) | epoch u32 | cookie (16) | key (32) | nonce (16)
 *             | previous nonce (16) | signature (64)          158 bytes  client → relay, every 10 s
 * CHALLENGE   F5 | 05 | probe (8) | epoch u32 | cookie (16)   30 bytes  relay → the source of a REGISTER without a valid cookie
 * REGISTERED  F5 | 02 | probe (8) | epoch u32 | cookie (16)   30 bytes  relay → client: confirmed; the cookie for the next refresh
 * REFUSED     F5 | 06 | probe (8) | reason u8                 11 bytes  relay → client: no slot (reason 1: full)
 * TO_TAG      F5 | 03 | tag (16) | session datagram         ≤ 1218     connecting side ↔ relay
 * TO_OWNER    F5 | 04 | channel (8) | session datagram      ≤ 1210     relay ↔ the tag's registered client
 * </pre>
 * The cookie is the relay's stateless proof that the source address receives: {@link RelayCookies}. The
 * signature, by {@code key}, covers {@link #signedPart}; the client's tags are derived from its key and
 * the nonces ({@link #tagOf}), so nobody else can register them. The session datagram inside (INIT,
 * RESPONSE, DATA, KEEP or COOKIE, {@link Wire}, or a poke, {@link #POKE}) is forwarded unchanged: the relay
 * never holds a key of the session.
 * Every reply is smaller than the datagram that caused it.
 */
public final class RelayWire {
    public static final byte MARK = (byte) 0xF5;
    public static final byte REGISTER = 1;
    public static final byte REGISTERED = 2;
    public static final byte TO_TAG = 3;
    public static final byte TO_OWNER = 4;
    public static final byte CHALLENGE = 5;
    public static final byte REFUSED = 6;
    /** REFUSED's reason: every slot (in all, or for the client's address) is taken. */
    public static final byte REFUSED_FULL = 1;
    public static final int TAG_BYTES = 16;
    public static final int PROBE_BYTES = 8;
    public static final int COOKIE_BYTES = 16;
    public static final int KEY_BYTES = 32;
    public static final int NONCE_BYTES = 16;
    public static final int SIGNATURE_BYTES = 64;
    // REGISTER's fields
    public static final int PROBE_AT = 2;
    public static final int EPOCH_AT = PROBE_AT + PROBE_BYTES;
    public static final int COOKIE_AT = EPOCH_AT + 4;
    public static final int KEY_AT = COOKIE_AT + COOKIE_BYTES;
    public static final int NONCE_AT = KEY_AT + KEY_BYTES;
    public static final int PREVIOUS_AT = NONCE_AT + NONCE_BYTES;
    public static final int SIGNATURE_AT = PREVIOUS_AT + NONCE_BYTES;
    public static final int REGISTER_LENGTH = SIGNATURE_AT + SIGNATURE_BYTES;
    /** CHALLENGE and REGISTERED. */
    public static final int COOKIE_REPLY_LENGTH = COOKIE_AT + COOKIE_BYTES;
    public static final int REFUSED_LENGTH = EPOCH_AT + 1;
    public static final int TO_TAG_HEADER = 2 + TAG_BYTES;
    public static final int TO_OWNER_HEADER = 2 + 8;
    /** The smallest session datagram (a KEEP). */
    public static final int MIN_INNER = Wire.KEEP_LENGTH;
    private static final byte[] SIGN_DOMAIN = "scout relay register 1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TAG_DOMAIN = "scout relay tag 1".getBytes(StandardCharsets.US_ASCII);

    private RelayWire() {
    }

    /**
     * A push wake-up (scout-node's {@code PokeWire}, docs/spec.md §7): relays forward it like a session
     * datagram, so a contact behind a NAT is woken through its relay. It is as opaque to the relay as the
     * others (a MAC under the pair's key) and smaller than a KEEP's reply would be.
     */
    public static final byte POKE = (byte) 0xF7;

    /** Whether {@code b[off, off+len)} looks like a session datagram or a poke: marker 0xF1..0xF4, 0xF6 or 0xF7, 17..1200 bytes. */
    public static boolean isSessionDatagram(byte[] b, int off, int len) {
        if (len < MIN_INNER || len > Wire.MAX_DATAGRAM) {
            return false;
        }
        byte m = b[off];
        return m == Wire.INIT || m == Wire.RESPONSE || m == Wire.DATA || m == Wire.KEEP || m == Wire.COOKIE || m == POKE;
    }

    /**
     * A REGISTER without its signature yet (the signature covers {@link #signedPart} of the result).
     *
     * @param previousNonce the nonce of the tag before (still honoured), or 16 zero bytes for none
     */
    public static byte[] register(byte[] probe, int epoch, byte[] cookie, byte[] key, byte[] nonce, byte[] previousNonce) {
        byte[] out = new byte[REGISTER_LENGTH];
        out[0] = MARK;
        out[1] = REGISTER;
        System.arraycopy(probe, 0, out, PROBE_AT, PROBE_BYTES);
        putInt(out, EPOCH_AT, epoch);
        System.arraycopy(cookie, 0, out, COOKIE_AT, COOKIE_BYTES);
        System.arraycopy(key, 0, out, KEY_AT, KEY_BYTES);
        System.arraycopy(nonce, 0, out, NONCE_AT, NONCE_BYTES);
        System.arraycopy(previousNonce, 0, out, PREVIOUS_AT, NONCE_BYTES);
        return out;
    }

    /** What REGISTER's signature covers: a domain string, then epoch, cookie, key and both nonces. */
    public static byte[] signedPart(byte[] register) {
        byte[] out = Arrays.copyOf(SIGN_DOMAIN, SIGN_DOMAIN.length + SIGNATURE_AT - EPOCH_AT);
        System.arraycopy(register, EPOCH_AT, out, SIGN_DOMAIN.length, SIGNATURE_AT - EPOCH_AT);
        return out;
    }

    /** CHALLENGE or REGISTERED: {@code F5 | op | probe | epoch | cookie}, the probe copied from {@code request}. */
    public static byte[] cookieReply(byte op, byte[] request, int epoch, byte[] cookie) {
        byte[] out = new byte[COOKIE_REPLY_LENGTH];
        out[0] = MARK;
        out[1] = op;
        System.arraycopy(request, PROBE_AT, out, PROBE_AT, PROBE_BYTES);
        putInt(out, EPOCH_AT, epoch);
        System.arraycopy(cookie, 0, out, COOKIE_AT, COOKIE_BYTES);
        return out;
    }

    /** {@code F5 | 06 | probe | reason}, the probe copied from {@code request}. */
    public static byte[] refused(byte[] request, byte reason) {
        byte[] out = new byte[REFUSED_LENGTH];
        out[0] = MARK;
        out[1] = REFUSED;
        System.arraycopy(request, PROBE_AT, out, PROBE_AT, PROBE_BYTES);
        out[EPOCH_AT] = reason;
        return out;
    }

    /** A tag: the first 16 bytes of SHA-256(domain | key | nonce); nobody without the key's signature registers it. */
    public static byte[] tagOf(byte[] key, int keyOff, byte[] nonce, int nonceOff) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(TAG_DOMAIN);
            sha.update(key, keyOff, KEY_BYTES);
            sha.update(nonce, nonceOff, NONCE_BYTES);
            return Arrays.copyOf(sha.digest(), TAG_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the 16 bytes at {@code off} are all zero (REGISTER's "no previous nonce"). */
    public static boolean isZero(byte[] b, int off, int len) {
        int acc = 0;
        for (int i = off; i < off + len; i++) {
            acc |= b[i];
        }
        return acc == 0;
    }

    /** {@code F5 | 03 | tag | inner}. */
    public static byte[] toTag(byte[] tag, byte[] inner, int off, int len) {
        byte[] out = new byte[TO_TAG_HEADER + len];
        out[0] = MARK;
        out[1] = TO_TAG;
        System.arraycopy(tag, 0, out, 2, TAG_BYTES);
        System.arraycopy(inner, off, out, TO_TAG_HEADER, len);
        return out;
    }

    /** {@code F5 | 04 | channel | inner}. */
    public static byte[] toOwner(long channel, byte[] inner, int off, int len) {
        byte[] out = new byte[TO_OWNER_HEADER + len];
        out[0] = MARK;
        out[1] = TO_OWNER;
        Wire.putLong(out, 2, channel);
        System.arraycopy(inner, off, out, TO_OWNER_HEADER, len);
        return out;
    }

    /** The tag at byte 2 (TO_TAG). */
    public static byte[] tag(byte[] b) {
        return Arrays.copyOfRange(b, 2, 2 + TAG_BYTES);
    }

    /** The first 8 tag bytes, as the tables' key (the whole tag is then compared in constant time). */
    public static long tagKey(byte[] b, int off) {
        return Wire.getLong(b, off);
    }

    public static int getInt(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
