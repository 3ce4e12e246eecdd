package dev.scout.session.path;

import dev.scout.session.handshake.NoiseIK;
import dev.scout.session.handshake.Wire;
import java.util.Arrays;

/**
 * The two path tokens of one session (docs/sessions.md, "Kept-open NAT permission"): the KEEP
 * datagram we send carries {@code send}, the peer's carries {@code receive}. Derived from the Noise
 * chaining key, so only the two peers know them and they name no identity; one per direction, so a
 * datagram of ours reflected back to us is not taken for the peer's.
 *
 * @param send our direction's token (16 bytes)
 * @param receive the peer's direction's token (16 bytes)
 */
public record PathTokens(byte[] send, byte[] receive) {
    private static final String LABEL = "scout/v1 path keep";

    /**
     * {@return the tokens of a finished handshake, seen from one side}
     *
     * @param noise the handshake, after its last message
     * @param initiator whether this side started it
     */
    public static PathTokens of(NoiseIK noise, boolean initiator) {
        byte[][] s = noise.exportSecrets(LABEL);
        byte[] i2r = Arrays.copyOf(s[0], Wire.TOKEN_BYTES);
        byte[] r2i = Arrays.copyOf(s[1], Wire.TOKEN_BYTES);
        Arrays.fill(s[0], (byte) 0);
        Arrays.fill(s[1], (byte) 0);
        return initiator ? new PathTokens(i2r, r2i) : new PathTokens(r2i, i2r);
    }

    /** {@return the KEEP datagram we send} */
    public byte[] keepDatagram() {
        byte[] d = new byte[Wire.KEEP_LENGTH];
        d[0] = Wire.KEEP;
        System.arraycopy(send, 0, d, 1, Wire.TOKEN_BYTES);
        return d;
    }

    /**
     * {@return the index a token is looked up by: its first 8 bytes (the whole token is then
     * compared in constant time)}
     *
     * @param b a token, or a KEEP datagram when {@code offset} is 1
     * @param offset where the token starts
     */
    public static long index(byte[] b, int offset) {
        return Wire.getLong(b, offset);
    }
}
