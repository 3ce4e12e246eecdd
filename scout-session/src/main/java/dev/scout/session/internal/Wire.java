package dev.scout.session.internal;

/**
 * Session datagrams on a socket shared with KRPC. KRPC is a bencoded dictionary and always starts
 * with {@code d} (0x64); every session datagram starts with a marker byte in 0xF1..0xF4, which no
 * bencoded value can start with, and is claimed only when it also has its exact length (handshake
 * initiation, path keep) or names a connection id of ours (response, data). Everything else goes to
 * the DHT.
 *
 * <pre>
 * INIT      F1 | version 01 | sender id (8) | Noise IK message 1 (e, s, payload)        162 bytes
 * RESPONSE  F2 | receiver id (8) | sender id (8) | Noise IK message 2 (e, payload)       65 bytes
 * DATA      F3 | receiver id (8) | packet number (8) | ChaCha20-Poly1305(frames)     ≤ 1200 bytes
 * KEEP      F4 | path token (16)                                                         17 bytes
 * </pre>
 * The DATA header (17 bytes) is the AEAD's associated data and the packet number its nonce.
 */
public final class Wire {
    public static final byte INIT = (byte) 0xF1;
    public static final byte RESPONSE = (byte) 0xF2;
    public static final byte DATA = (byte) 0xF3;
    public static final byte KEEP = (byte) 0xF4;
    public static final byte VERSION = 1;
    /** A path token: the sender's direction's secret from the session's handshake, truncated. */
    public static final int TOKEN_BYTES = 16;
    public static final int KEEP_LENGTH = 1 + TOKEN_BYTES;

    /** Initiator payload: its Ed25519 identity key (32) and a strictly increasing timestamp (8). */
    public static final int INIT_PAYLOAD = 40;
    public static final int INIT_LENGTH = 2 + 8 + NoiseIK.MESSAGE1_OVERHEAD + INIT_PAYLOAD;
    public static final int RESPONSE_LENGTH = 1 + 8 + 8 + NoiseIK.MESSAGE2_OVERHEAD;
    public static final int DATA_HEADER = 1 + 8 + 8;
    /** Largest datagram we send: fits every path's MTU with room for IPv6 and tunnels. */
    public static final int MAX_DATAGRAM = 1200;
    public static final int MAX_PLAINTEXT = MAX_DATAGRAM - DATA_HEADER - NoiseCipher.TAG_BYTES;
    /** Noise prologue: binds handshakes to this protocol and version. */
    public static final byte[] PROLOGUE = "scout/v1 session".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private Wire() {
    }

    public static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    public static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    /** The connection id a RESPONSE or DATA datagram is addressed to. */
    public static long receiverId(byte[] b) {
        return getLong(b, 1);
    }
}
