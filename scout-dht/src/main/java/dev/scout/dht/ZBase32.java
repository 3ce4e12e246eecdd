package dev.scout.dht;


/**
 * z-base-32 for exactly 32-byte keys: alphabet {@value #ALPHABET}, bits taken
 * most-significant first, no padding characters. 256 bits need 52 characters; the
 * last one carries 1 key bit followed by 4 zero bits.
 */
final class ZBase32 {

    static final String ALPHABET = "ybndrfg8ejkmcpqxot1uwisza345h769";
    static final int KEY_CHARS = 52;

    private static final int KEY_BYTES = 32;
    private static final int[] DECODE = new int[128];

    static {
        java.util.Arrays.fill(DECODE, -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            DECODE[ALPHABET.charAt(i)] = i;
        }
    }

    private ZBase32() {
    }

    static String encodeKey(byte[] key) {
        StringBuilder out = new StringBuilder(KEY_CHARS);
        int buffer = 0;
        int bits = 0;
        for (byte b : key) {
            buffer = (buffer << 8) | (b & 0xFF);
            bits += 8;
            while (bits >= 5) {
                bits -= 5;
                out.append(ALPHABET.charAt((buffer >>> bits) & 31));
            }
        }
        if (bits > 0) {
            // Remaining bits go at the top of the last symbol; the rest is zero padding.
            out.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }

    /** Decodes 52 characters (case-insensitive) into 32 bytes. */
    static byte[] decodeKey(String text) {
        if (text.length() != KEY_CHARS) {
            throw new KeyFormatException("z-base-32 key must be " + KEY_CHARS
                    + " characters, got " + text.length());
        }
        byte[] out = new byte[KEY_BYTES];
        int buffer = 0;
        int bits = 0;
        int pos = 0;
        for (int i = 0; i < KEY_CHARS; i++) {
            char c = Character.toLowerCase(text.charAt(i));
            int v = c < 128 ? DECODE[c] : -1;
            if (v < 0) {
                throw new KeyFormatException("character '" + text.charAt(i) + "' at position " + i
                        + " is not in the z-base-32 alphabet (" + ALPHABET + ")");
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                bits -= 8;
                out[pos++] = (byte) (buffer >>> bits);
            }
        }
        // Non-zero padding would let many strings name the same key; insist on one spelling.
        if ((buffer & ((1 << bits) - 1)) != 0) {
            throw new KeyFormatException("z-base-32 key has non-zero padding bits in its last character '"
                    + text.charAt(KEY_CHARS - 1) + "'");
        }
        return out;
    }
}
