package dev.scout.session.handshake;

/**
 * Session datagrams on a socket shared with KRPC. KRPC is a bencoded dictionary and always starts
 * with {@code d} (0x64); every session datagram starts with a marker byte in 0xF1..0xF4 or 0xF6
 * (0xF5 is the relay's), which no bencoded value can start with, and is claimed only when it also
 * has its exact length (handshake initiation, path keep) or names a connection id of ours
 * (response, cookie, data). Everything else goes to the DHT.
 *
 * <pre>
 * INIT      F1 | version 02 | sender id (8) | cookie (16) | Noise IK message 1 (e, s, payload) | mac1 (16)  186 bytes
 * RESPONSE  F2 | receiver id (8) | Noise IK message 2 (e, payload = sender id (8))                  65 bytes
 * DATA      F3 | receiver id (8) | packet number (8) | ChaCha20-Poly1305(frames)                ≤ 1200 bytes
 * KEEP      F4 | path token (16)                                                                    17 bytes
 * COOKIE    F6 | receiver id (8) | cookie (16) | tag (16)                                           41 bytes
 * </pre>
 * The Noise prologue holds the version, the initiator's sender id and the INIT's cookie field, and the
 * responder's sender id travels encrypted in message 2, so every id and the version are authenticated.
 * The DATA header (17 bytes) is the AEAD's associated data and the packet number its nonce.
 */
public final class Wire {
    public static final byte INIT = (byte) 0xF1;
    public static final byte RESPONSE = (byte) 0xF2;
    public static final byte DATA = (byte) 0xF3;
    public static final byte KEEP = (byte) 0xF4;
    /** A responder under load (or not knowing the initiator's device) asks for its cookie first. */
    public static final byte COOKIE = (byte) 0xF6;
    public static final byte VERSION = 2;
    /** A cookie: a MAC over the initiator's source address under the responder's rotating secret. */
    public static final int COOKIE_BYTES = 16;
    /** mac1 (INIT) and the COOKIE's tag. */
    public static final int MAC_BYTES = 16;
    /** A path token: the sender's direction's secret from the session's handshake, truncated. */
    public static final int TOKEN_BYTES = 16;
    public static final int KEEP_LENGTH = 1 + TOKEN_BYTES;

    /** Initiator payload: its Ed25519 identity key (32), its device id (8), a strictly increasing timestamp (8). */
    public static final int INIT_PAYLOAD = 48;
    /** Where the INIT's cookie field, Noise message 1 and mac1 start. */
    public static final int INIT_COOKIE = 10;
    public static final int INIT_NOISE = INIT_COOKIE + COOKIE_BYTES;
    public static final int INIT_LENGTH = INIT_NOISE + NoiseIK.MESSAGE1_OVERHEAD + INIT_PAYLOAD + MAC_BYTES;
    public static final int INIT_MAC1 = INIT_LENGTH - MAC_BYTES;
    /** Responder payload: its sender id (8). */
    public static final int RESPONSE_PAYLOAD = 8;
    public static final int RESPONSE_LENGTH = 1 + 8 + NoiseIK.MESSAGE2_OVERHEAD + RESPONSE_PAYLOAD;
    public static final int COOKIE_LENGTH = 1 + 8 + COOKIE_BYTES + MAC_BYTES;
    public static final int DATA_HEADER = 1 + 8 + 8;
    /** Largest datagram we send: fits every path's MTU with room for IPv6 and tunnels. */
    public static final int MAX_DATAGRAM = 1200;
    public static final int MAX_PLAINTEXT = MAX_DATAGRAM - DATA_HEADER - NoiseCipher.TAG_BYTES;
    private static final byte[] LABEL = "scout/v2 session".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

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

    /**
     * The Noise prologue of one handshake: the protocol label, then the INIT's first 26 bytes (marker,
     * version, the initiator's sender id, the cookie field), so a rewritten one fails the handshake.
     */
    public static byte[] prologue(byte[] init) {
        byte[] p = java.util.Arrays.copyOf(LABEL, LABEL.length + INIT_NOISE);
        System.arraycopy(init, 0, p, LABEL.length, INIT_NOISE);
        return p;
    }

    /** The connection id a RESPONSE, COOKIE or DATA datagram is addressed to. */
    public static long receiverId(byte[] b) {
        return getLong(b, 1);
    }
}
