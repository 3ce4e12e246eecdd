package dev.scout.bench.qps;

/**
 * Finds the top-level {@code t} and {@code y} of a bencoded KRPC datagram without decoding the rest:
 * the load generator's per-answer work stays small. One instance is reused for every datagram.
 */
final class DatagramPeek {
    /** Where the transaction id starts in the datagram, or -1. */
    int tAt;
    int tLen;
    /** The message type ('q', 'r', 'e'), or 0. */
    byte y;

    /** Scans {@code b[0..len)}; false when it is not a well-formed top-level dictionary. */
    boolean scan(byte[] b, int len) {
        tAt = -1;
        tLen = 0;
        y = 0;
        try {
            if (len < 2 || b[0] != 'd') {
                return false;
            }
            int p = 1;
            while (p < len && b[p] != 'e') {
                int keyLen = 0;
                while (b[p] != ':') {
                    keyLen = keyLen * 10 + (b[p++] - '0');
                }
                p++;
                int keyAt = p;
                p += keyLen;
                if (keyLen == 1 && b[keyAt] == 't' && b[p] >= '0' && b[p] <= '9') {
                    int l = 0;
                    while (b[p] != ':') {
                        l = l * 10 + (b[p++] - '0');
                    }
                    p++;
                    tAt = p;
                    tLen = l;
                    p += l;
                } else if (keyLen == 1 && b[keyAt] == 'y' && b[p] == '1' && b[p + 1] == ':') {
                    y = b[p + 2];
                    p += 3;
                } else {
                    p = skip(b, p);
                }
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            return false;
        }
        return true;
    }

    /** Skips one bencoded value starting at p; returns the position after it. */
    private static int skip(byte[] b, int p) {
        byte c = b[p];
        if (c == 'i') {
            while (b[p] != 'e') {
                p++;
            }
            return p + 1;
        }
        if (c == 'l' || c == 'd') {
            p++;
            while (b[p] != 'e') {
                p = skip(b, p);
            }
            return p + 1;
        }
        int l = 0;
        while (b[p] != ':') {
            l = l * 10 + (b[p++] - '0');
        }
        return p + 1 + l;
    }
}
