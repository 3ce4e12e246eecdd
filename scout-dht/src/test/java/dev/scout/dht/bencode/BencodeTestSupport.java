package dev.scout.dht.bencode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Helpers shared by the bencode tests. */
final class BencodeTestSupport {
    private BencodeTestSupport() {}

    /** Limits loose enough that only the structure under test can trip them. */
    static final BencodeLimits LOOSE = new BencodeLimits(64, Integer.MAX_VALUE, Integer.MAX_VALUE);

    /** Each char of {@code s} (all ≤ 0xFF) as one byte, so test strings can hold arbitrary bytes. */
    static byte[] raw(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xFF) {
                throw new IllegalArgumentException("not a byte: " + s);
            }
        }
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Inverse of {@link #raw(String)}. */
    static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** A byte string compared by content, for structural equality of decoded values. */
    record Str(String hex) {
        @Override
        public String toString() {
            return "Str[" + hex + "]";
        }
    }

    /**
     * Replaces every {@code byte[]} by a {@link Str}, every integral number by a {@code Long}, every list by an
     * {@link ArrayList} and every map by a {@link TreeMap}, so that {@code equals} compares structure and content.
     */
    static Object normalize(Object value) {
        if (value instanceof byte[] b) {
            return new Str(HexFormat.of().formatHex(b));
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object item : list) {
                out.add(normalize(item));
            }
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            TreeMap<String, Object> out = new TreeMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.put((String) e.getKey(), normalize(e.getValue()));
            }
            return out;
        }
        throw new IllegalArgumentException("unexpected value " + value);
    }
}
