package dev.scout.dht.bencode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Strict, bounded bencode (BEP 3) codec.
 *
 * <p>Values map to Java types as follows: byte string ↔ {@code byte[]}, integer ↔ {@code Long},
 * list ↔ {@code List<Object>}, dictionary ↔ {@code Map<String, Object>} whose keys are the raw key
 * bytes as ISO-8859-1 characters. That charset maps each byte to the char of the same value, so a
 * {@link TreeMap} orders keys exactly as bencode demands (raw unsigned bytes) and no byte is lost.
 *
 * <p>Decoding accepts only the canonical form: dictionary keys strictly ascending (no duplicates),
 * integers without leading zeros or {@code -0}, string lengths without leading zeros. Canonical input
 * re-encodes to the identical bytes, which BEP 44 signatures depend on.
 *
 * <pre>{@code
 * Map<String, Object> msg = Bencode.dict("t", Bencode.bytes("aa"), "y", Bencode.bytes("q"));
 * byte[] wire = Bencode.encode(msg);
 * Object back = Bencode.decode(wire, BencodeLimits.KRPC);
 * }</pre>
 */
public final class Bencode {
    private Bencode() {}

    /**
     * Decodes exactly one value spanning all of {@code data}.
     *
     * @param data the bytes to decode
     * @param limits the bounds the input must respect
     * @return the decoded value
     */
    public static Object decode(byte[] data, BencodeLimits limits) throws BencodeException {
        return decode(data, 0, data.length, limits);
    }

    /**
     * Decodes exactly one value spanning {@code data[offset, offset+length)}.
     *
     * @param data the bytes to decode
     * @param offset where the input starts in {@code data}
     * @param length how many bytes of {@code data} to read
     * @param limits the bounds the input must respect
     * @return the decoded value
     */
    public static Object decode(byte[] data, int offset, int length, BencodeLimits limits) throws BencodeException {
        if (length > limits.maxLength()) {
            throw new BencodeException("input of " + length + " bytes exceeds limit " + limits.maxLength(), 0);
        }
        Decoder decoder = new Decoder(data, offset, offset + length, limits);
        Object value = decoder.value(0);
        if (decoder.pos != offset + length) {
            throw new BencodeException("trailing data after value", decoder.pos - offset);
        }
        return value;
    }

    /**
     * Encodes a value made of {@code byte[]}, {@code String} (UTF-8), integral numbers, lists and maps.
     *
     * @param value the value
     * @return the encoding
     */
    public static byte[] encode(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        write(out, value);
        return out.toByteArray();
    }

    /**
     * Appends the encoding of {@code value} to {@code out}.
     *
     * @param out where to write
     * @param value the value
     */
    public static void write(ByteArrayOutputStream out, Object value) {
        if (value instanceof byte[] b) {
            writeString(out, b);
        } else if (value instanceof String s) {
            writeString(out, s.getBytes(StandardCharsets.UTF_8));
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            out.write('i');
            writeAscii(out, Long.toString(((Number) value).longValue()));
            out.write('e');
        } else if (value instanceof List<?> list) {
            out.write('l');
            for (Object item : list) {
                write(out, item);
            }
            out.write('e');
        } else if (value instanceof Map<?, ?> map) {
            out.write('d');
            Map<String, ?> sorted = map instanceof TreeMap<?, ?> && ((TreeMap<?, ?>) map).comparator() == null
                    ? castKeys(map) : new TreeMap<>(castKeys(map));
            for (Map.Entry<String, ?> e : sorted.entrySet()) {
                writeString(out, key(e.getKey()));
                write(out, e.getValue());
            }
            out.write('e');
        } else if (value instanceof RawValue raw) {
            byte[] b = raw.bytes();
            out.write(b, 0, b.length);
        } else {
            throw new IllegalArgumentException("cannot bencode " + (value == null ? "null" : value.getClass().getName()));
        }
    }

    /**
     * A dictionary key as the ISO-8859-1 string this codec uses for it.
     *
     * @param raw the raw key bytes
     * @return a dictionary key as the ISO-8859-1 string this codec uses for it
     */
    public static String key(byte[] raw) {
        return new String(raw, StandardCharsets.ISO_8859_1);
    }

    /**
     * The raw bytes of a dictionary key.
     *
     * @param key the key
     * @return the raw bytes of a dictionary key
     */
    public static byte[] key(String key) {
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) > 0xFF) {
                throw new IllegalArgumentException("dictionary key is not a byte string: " + key);
            }
        }
        return key.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * ASCII/UTF-8 text as a byte string value.
     *
     * @param text the text
     * @return the bytes
     */
    public static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Builds a sorted dictionary from alternating keys and values; null values are left out.
     *
     * @param keysAndValues keys and values, alternating
     * @return the object>
     */
    public static Map<String, Object> dict(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must pair up");
        }
        TreeMap<String, Object> map = new TreeMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                map.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return map;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> castKeys(Map<?, ?> map) {
        for (Object k : map.keySet()) {
            if (!(k instanceof String)) {
                throw new IllegalArgumentException("dictionary keys must be strings, got " + k);
            }
        }
        return (Map<String, ?>) map;
    }

    private static void writeString(ByteArrayOutputStream out, byte[] b) {
        writeAscii(out, Integer.toString(b.length));
        out.write(':');
        out.write(b, 0, b.length);
    }

    private static void writeAscii(ByteArrayOutputStream out, String s) {
        for (int i = 0; i < s.length(); i++) {
            out.write(s.charAt(i));
        }
    }

    /** Recursive-descent decoder; recursion is bounded by {@link BencodeLimits#maxDepth()}. */
    private static final class Decoder {
        private final byte[] in;
        private final int start;
        private final int end;
        private final BencodeLimits limits;
        private int pos;
        private int elements;

        Decoder(byte[] in, int start, int end, BencodeLimits limits) {
            this.in = in;
            this.start = start;
            this.end = end;
            this.limits = limits;
            this.pos = start;
        }

        Object value(int depth) throws BencodeException {
            if (++elements > limits.maxElements()) {
                throw error("more than " + limits.maxElements() + " values");
            }
            int c = peek();
            if (c == 'i') {
                pos++;
                long v = integer('e');
                return v;
            }
            if (c == 'l' || c == 'd') {
                if (depth >= limits.maxDepth()) {
                    throw error("nesting deeper than " + limits.maxDepth());
                }
                pos++;
                return c == 'l' ? list(depth + 1) : dict(depth + 1);
            }
            if (c >= '0' && c <= '9') {
                return string();
            }
            throw error("unexpected byte 0x" + Integer.toHexString(c));
        }

        private List<Object> list(int depth) throws BencodeException {
            List<Object> items = new ArrayList<>();
            while (peek() != 'e') {
                items.add(value(depth));
            }
            pos++;
            return Collections.unmodifiableList(items);
        }

        private Map<String, Object> dict(int depth) throws BencodeException {
            TreeMap<String, Object> map = new TreeMap<>();
            String previous = null;
            while (peek() != 'e') {
                int keyPos = pos;
                if (peek() < '0' || peek() > '9') {
                    throw error("dictionary key must be a byte string");
                }
                String k = key(string());
                if (previous != null && previous.compareTo(k) >= 0) {
                    throw new BencodeException(previous.equals(k) ? "duplicate dictionary key" : "dictionary keys not sorted",
                            keyPos - start);
                }
                previous = k;
                map.put(k, value(depth));
            }
            pos++;
            return Collections.unmodifiableMap(map);
        }

        private byte[] string() throws BencodeException {
            int lengthPos = pos;
            long length = digits(':', false);
            if (length > end - pos) {
                throw new BencodeException("string length " + length + " exceeds remaining input", lengthPos - start);
            }
            byte[] b = new byte[(int) length];
            System.arraycopy(in, pos, b, 0, b.length);
            pos += b.length;
            return b;
        }

        private long integer(char terminator) throws BencodeException {
            boolean negative = false;
            if (peek() == '-') {
                negative = true;
                pos++;
            }
            return digits(terminator, negative);
        }

        /**
         * Reads canonical decimal digits up to {@code terminator}, which it consumes, and returns their value,
         * negated if {@code negative}. Accumulates negatively so that {@link Long#MIN_VALUE} is representable.
         */
        private long digits(char terminator, boolean negative) throws BencodeException {
            int first = pos;
            long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
            long v = 0;
            while (true) {
                int c = peek();
                if (c == terminator) {
                    break;
                }
                if (c < '0' || c > '9') {
                    throw error("expected digit or '" + terminator + "'");
                }
                if (v < (limit + (c - '0')) / 10) {
                    throw error("integer overflows 64 bits");
                }
                v = v * 10 - (c - '0');
                pos++;
            }
            int count = pos - first;
            if (count == 0) {
                throw error("missing digits");
            }
            if (count > 1 && in[first] == '0') {
                throw new BencodeException("leading zero", first - start);
            }
            if (negative && v == 0) {
                throw new BencodeException("negative zero", first - start);
            }
            pos++;
            return negative ? v : -v;
        }

        private int peek() throws BencodeException {
            if (pos >= end) {
                throw error("unexpected end of input");
            }
            return in[pos] & 0xFF;
        }

        private BencodeException error(String message) {
            return new BencodeException(message, pos - start);
        }
    }
}
