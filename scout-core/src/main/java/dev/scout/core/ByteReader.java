package dev.scout.core;

import dev.scout.dht.FormatException;

/**
 * Bounds-checked big-endian reads over untrusted bytes: every read first checks what
 * is left, so malformed input ends in a {@link FormatException}, never an index error.
 */
final class ByteReader {

    private final byte[] data;
    private final String what;
    private int position;

    ByteReader(byte[] data, String what) {
        this.data = data;
        this.what = what;
    }

    int u8() {
        require(1, "a byte");
        return data[position++] & 0xFF;
    }

    int u16() {
        require(2, "a 16-bit value");
        int v = ((data[position] & 0xFF) << 8) | (data[position + 1] & 0xFF);
        position += 2;
        return v;
    }

    long u32() {
        require(4, "a 32-bit value");
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (data[position++] & 0xFF);
        }
        return v;
    }

    long i64() {
        require(8, "a 64-bit value");
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (data[position++] & 0xFF);
        }
        return v;
    }

    void skip(int count) {
        require(count, count + " bytes to skip");
        position += count;
    }

    byte[] bytes(int count) {
        require(count, count + " bytes");
        byte[] out = java.util.Arrays.copyOfRange(data, position, position + count);
        position += count;
        return out;
    }

    private void require(int count, String purpose) {
        if (data.length - position < count) {
            throw new FormatException(what + " truncated: needed " + purpose + " at byte " + position
                    + " but only " + (data.length - position) + " left");
        }
    }
}
