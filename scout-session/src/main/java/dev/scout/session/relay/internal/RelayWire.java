package dev.scout.session.internal;

import java.util.Arrays;

/**
 * Relay datagrams (docs/sessions.md, "Relaying"), on the same socket as KRPC and the session
 * datagrams. They start with 0xF5, which no bencoded value (KRPC starts with {@code d}) and no session
 * datagram (0xF1..0xF4) starts with; the second byte is the operation:
 *
 * <pre>
 * REGISTER    F5 | 01 | tag (16)                      18 bytes   client → relay, every 10 s
 * REGISTERED  F5 | 02 | tag (16)                      18 bytes   relay → client
 * TO_TAG      F5 | 03 | tag (16) | session datagram   ≤ 1218     connecting side ↔ relay
 * TO_OWNER    F5 | 04 | channel (8) | session datagram ≤ 1210    relay ↔ the tag's registered client
 * </pre>
 * The session datagram inside (INIT, RESPONSE, DATA or KEEP, {@link Wire}) is forwarded unchanged: the
 * relay never holds a key of the session.
 */
public final class RelayWire {
    public static final byte MARK = (byte) 0xF5;
    public static final byte REGISTER = 1;
    public static final byte REGISTERED = 2;
    public static final byte TO_TAG = 3;
    public static final byte TO_OWNER = 4;
    public static final int TAG_BYTES = 16;
    public static final int REGISTER_LENGTH = 2 + TAG_BYTES;
    public static final int TO_TAG_HEADER = 2 + TAG_BYTES;
    public static final int TO_OWNER_HEADER = 2 + 8;
    /** The smallest session datagram (a KEEP). */
    public static final int MIN_INNER = Wire.KEEP_LENGTH;

    private RelayWire() {
    }

    /** Whether {@code b[off, off+len)} looks like a session datagram: marker 0xF1..0xF4, 17..1200 bytes. */
    public static boolean isSessionDatagram(byte[] b, int off, int len) {
        if (len < MIN_INNER || len > Wire.MAX_DATAGRAM) {
            return false;
        }
        byte m = b[off];
        return m == Wire.INIT || m == Wire.RESPONSE || m == Wire.DATA || m == Wire.KEEP;
    }

    public static byte[] control(byte op, byte[] tag) {
        byte[] out = new byte[REGISTER_LENGTH];
        out[0] = MARK;
        out[1] = op;
        System.arraycopy(tag, 0, out, 2, TAG_BYTES);
        return out;
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

    /** The tag at byte 2 (REGISTER, REGISTERED, TO_TAG). */
    public static byte[] tag(byte[] b) {
        return Arrays.copyOfRange(b, 2, 2 + TAG_BYTES);
    }

    /** The first 8 tag bytes, as the tables' key (the whole tag is then compared in constant time). */
    public static long tagKey(byte[] b, int off) {
        return Wire.getLong(b, off);
    }
}
