package dev.scout.cli.client;

import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reading and writing {@link JsonReader}'s values the way the commands' Jackson code does, so the quick
 * path prints byte for byte what the full command prints: {@code path}, {@code asText}, {@code asInt}…
 * keep the meaning of Jackson's {@code JsonNode} methods of the same name (a missing field is Java
 * {@code null}, JSON null is {@link #NULL}).
 */
public final class JsonValues {
    /** JSON {@code null} (a Java {@code null} means "no such field"). */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private JsonValues() {}

    /** {@code node.path(field)}: the field of an object, else missing ({@code null}). */
    public static Object path(Object node, String field) {
        return node instanceof Map<?, ?> m ? m.get(field) : null;
    }

    /** {@code node.has(field)}. */
    public static boolean has(Object node, String field) {
        return node instanceof Map<?, ?> m && m.containsKey(field);
    }

    /** {@code node.hasNonNull(field)}. */
    public static boolean hasNonNull(Object node, String field) {
        Object v = path(node, field);
        return v != null && v != NULL;
    }

    public static boolean isNull(Object v) {
        return v == NULL;
    }

    /** {@code asText()}: a scalar's text; "" for missing, objects and arrays; "null" for null. */
    public static String asText(Object v) {
        if (v == null || v instanceof Map || v instanceof List) {
            return "";
        }
        return v.toString();
    }

    /** {@code asText(otherwise)}: {@code otherwise} for missing and null. */
    public static String asText(Object v, String otherwise) {
        return v == null || v == NULL ? otherwise : asText(v);
    }

    /** {@code asLong()}: numbers truncated, numeric text parsed, true is 1, anything else 0. */
    public static long asLong(Object v) {
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                try {
                    return (long) Double.parseDouble(s.trim());
                } catch (NumberFormatException e2) {
                    return 0;
                }
            }
        }
        return 0;
    }

    /** {@code asInt()}. */
    public static int asInt(Object v) {
        return v instanceof Number n ? n.intValue() : (int) asLong(v);
    }

    /** {@code asBoolean(otherwise)}. */
    public static boolean asBoolean(Object v, boolean otherwise) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof BigInteger b) {
            return b.signum() != 0;
        }
        if (v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue() != 0; // a fraction is no boolean: otherwise
        }
        if (v instanceof String s) {
            String t = s.trim();
            return t.equals("true") || (!t.equals("false") && otherwise);
        }
        return otherwise;
    }

    /** {@code isEmpty()}: no elements (scalars and missing count as empty). */
    public static boolean isEmpty(Object v) {
        return size(v) == 0;
    }

    /** {@code size()}: elements of an array or fields of an object, else 0. */
    public static int size(Object v) {
        return v instanceof List<?> l ? l.size() : v instanceof Map<?, ?> m ? m.size() : 0;
    }

    /** Iterating a node: an array's elements, an object's values, nothing for anything else. */
    public static Collection<?> elements(Object v) {
        return v instanceof List<?> l ? l : v instanceof Map<?, ?> m ? m.values() : List.of();
    }

    /** {@code Jackson.line(v)}: one line, printable ASCII only (everything else as backslash-u escapes). */
    public static String asciiLine(Object v) {
        StringBuilder b = new StringBuilder();
        write(b, v, true);
        return b.toString();
    }

    /** {@code JsonNode.toString()}: compact JSON, text as it is (only quotes, backslashes and controls escaped). */
    public static String plain(Object v) {
        if (v == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        write(b, v, false);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v, boolean ascii) {
        if (v instanceof String s) {
            quote(b, s, ascii);
        } else if (v instanceof Map<?, ?> m) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                b.append(first ? "" : ",");
                first = false;
                quote(b, (String) e.getKey(), ascii);
                b.append(':');
                write(b, e.getValue(), ascii);
            }
            b.append('}');
        } else if (v instanceof List<?> l) {
            b.append('[');
            for (int k = 0; k < l.size(); k++) {
                b.append(k == 0 ? "" : ",");
                write(b, l.get(k), ascii);
            }
            b.append(']');
        } else {
            b.append(v); // numbers, booleans, NULL
        }
    }

    private static void quote(StringBuilder b, String s, boolean ascii) {
        b.append('"');
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\b' -> b.append("\\b");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\f' -> b.append("\\f");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20 || (ascii && c >= 0x7F)) {
                        b.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 15]).append(HEX[(c >> 4) & 15])
                                .append(HEX[c & 15]);
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
