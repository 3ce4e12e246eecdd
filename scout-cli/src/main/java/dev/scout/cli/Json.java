package dev.scout.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tiny JSON writer: objects (keys keep their insertion order), arrays, strings, numbers, booleans and
 * null. Output is pure ASCII (everything else becomes a backslash-u escape), so it survives any terminal
 * encoding.
 *
 * <pre>{@code
 * String line = Json.object().put("target", hex).put("stored", 8).put("peers", List.of("1.2.3.4:5")).toString();
 * }</pre>
 */
public final class Json {
    private Json() {}

    /** A new, empty object to fill with {@link Obj#put}. */
    public static Obj object() {
        return new Obj();
    }

    /**
     * Encodes {@code value}: null, {@link CharSequence}, {@link Number}, {@link Boolean}, {@link Obj},
     * {@link Map} (keys as strings), {@link Iterable} or an {@code Object[]}.
     */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value);
        return out.toString();
    }

    static void write(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof CharSequence s) {
            string(out, s);
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("JSON has no " + d);
            }
            out.append(d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d));
        } else if (value instanceof Number n) {
            out.append(n); // Integer, Long, Short, Byte, BigInteger, BigDecimal
        } else if (value instanceof Obj o) {
            map(out, o.fields);
        } else if (value instanceof Map<?, ?> m) {
            map(out, m);
        } else if (value instanceof Iterable<?> it) {
            out.append('[');
            boolean first = true;
            for (Object item : it) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(out, item);
            }
            out.append(']');
        } else if (value instanceof Object[] array) {
            write(out, java.util.Arrays.asList(array));
        } else {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
        }
    }

    private static void map(StringBuilder out, Map<?, ?> map) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            string(out, String.valueOf(e.getKey()));
            out.append(':');
            write(out, e.getValue());
        }
        out.append('}');
    }

    /** A JSON string literal, quotes included. */
    public static String quote(CharSequence s) {
        StringBuilder out = new StringBuilder(s.length() + 2);
        string(out, s);
        return out.toString();
    }

    private static void string(StringBuilder out, CharSequence s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7E) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** A JSON object under construction; {@link #toString()} gives its encoding. */
    public static final class Obj {
        private final Map<String, Object> fields = new LinkedHashMap<>();

        private Obj() {}

        /** Sets {@code key} (replacing an earlier value, keeping its position). */
        /** The value stored under {@code key}, or null. */
        public Object get(String key) {
            return fields.get(key);
        }

        public Obj put(String key, Object value) {
            fields.put(key, value);
            return this;
        }

        @Override
        public String toString() {
            return write(this);
        }
    }
}
