package dev.scout.cli.client;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict, bounded JSON parser for the daemon's answers on the quick path, where loading Jackson
 * would cost a short command more than the call itself. Values: {@link String}, {@link Integer},
 * {@link Long}, {@link BigInteger}, {@link Double}, {@link Boolean}, {@link JsonValues#NULL},
 * {@link List} and {@link Map} (in document order), as Jackson's tree would hold them.
 */
public final class JsonReader {
    /** Deepest nesting accepted (as the CLI's Jackson mapper). */
    static final int MAX_DEPTH = 32;
    /** Longest number literal accepted (as the CLI's Jackson mapper). */
    static final int MAX_NUMBER_LENGTH = 64;

    /** The text is not one JSON value. */
    public static final class MalformedJsonException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedJsonException(String message) {
            super(message);
        }
    }

    private final String s;
    private int i;

    private JsonReader(String s) {
        this.s = s;
    }

    /**
     * Parses exactly one JSON value (surrounding whitespace allowed, nothing else).
     *
     * @param text the JSON text
     * @return the value; Java {@code null} (missing) for blank text, as Jackson's {@code readTree}
     * @throws MalformedJsonException if the text is not one JSON value
     */
    public static Object parse(String text) throws MalformedJsonException {
        JsonReader r = new JsonReader(text);
        r.skipSpace();
        if (r.i == text.length()) {
            return null;
        }
        Object v = r.value(0);
        r.skipSpace();
        if (r.i != text.length()) {
            throw r.error("trailing content");
        }
        return v;
    }

    private Object value(int depth) throws MalformedJsonException {
        skipSpace();
        if (i >= s.length()) {
            throw error("unexpected end");
        }
        char c = s.charAt(i);
        switch (c) {
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", JsonValues.NULL);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected character");
        }
    }

    private Map<String, Object> object(int depth) throws MalformedJsonException {
        checkDepth(depth);
        i++;
        Map<String, Object> map = new LinkedHashMap<>();
        skipSpace();
        if (peek() == '}') {
            i++;
            return map;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw error("expected a field name");
            }
            String key = string();
            skipSpace();
            expect(':');
            map.put(key, value(depth));
            skipSpace();
            if (peek() == ',') {
                i++;
            } else {
                expect('}');
                return map;
            }
        }
    }

    private List<Object> array(int depth) throws MalformedJsonException {
        checkDepth(depth);
        i++;
        List<Object> list = new ArrayList<>();
        skipSpace();
        if (peek() == ']') {
            i++;
            return list;
        }
        while (true) {
            list.add(value(depth));
            skipSpace();
            if (peek() == ',') {
                i++;
            } else {
                expect(']');
                return list;
            }
        }
    }

    private String string() throws MalformedJsonException {
        i++; // the opening quote
        StringBuilder b = new StringBuilder();
        while (true) {
            if (i >= s.length()) {
                throw error("unterminated string");
            }
            char c = s.charAt(i++);
            if (c == '"') {
                return b.toString();
            } else if (c < 0x20) {
                throw error("control character in a string");
            } else if (c != '\\') {
                b.append(c);
            } else {
                b.append(escape());
            }
        }
    }

    private char escape() throws MalformedJsonException {
        if (i >= s.length()) {
            throw error("unterminated escape");
        }
        char e = s.charAt(i++);
        switch (e) {
            case '"': case '\\': case '/':
                return e;
            case 'b':
                return '\b';
            case 'f':
                return '\f';
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'u':
                if (i + 4 > s.length()) {
                    throw error("short \\u escape");
                }
                int v = 0;
                for (int k = 0; k < 4; k++) {
                    int d = Character.digit(s.charAt(i++), 16);
                    if (d < 0) {
                        throw error("bad \\u escape");
                    }
                    v = v * 16 + d;
                }
                return (char) v;
            default:
                throw error("bad escape");
        }
    }

    private Object number() throws MalformedJsonException {
        int start = i;
        if (peek() == '-') {
            i++;
        }
        int intStart = i;
        digits();
        if (i == intStart || (s.charAt(intStart) == '0' && i - intStart > 1)) {
            throw error("bad number");
        }
        boolean integral = true;
        if (peek() == '.') {
            integral = false;
            i++;
            requireDigits();
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            i++;
            if (peek() == '+' || peek() == '-') {
                i++;
            }
            requireDigits();
        }
        if (i - start > MAX_NUMBER_LENGTH) {
            throw error("number too long");
        }
        String text = s.substring(start, i);
        if (!integral) {
            return Double.parseDouble(text);
        }
        BigInteger big = new BigInteger(text);
        if (big.bitLength() < 32) {
            return big.intValue();
        }
        return big.bitLength() < 64 ? (Object) big.longValue() : big;
    }

    private void requireDigits() throws MalformedJsonException {
        int at = i;
        digits();
        if (i == at) {
            throw error("bad number");
        }
    }

    private void digits() {
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
    }

    private Object literal(String word, Object value) throws MalformedJsonException {
        if (!s.startsWith(word, i)) {
            throw error("unexpected word");
        }
        i += word.length();
        return value;
    }

    private void checkDepth(int depth) throws MalformedJsonException {
        if (depth > MAX_DEPTH) {
            throw error("nested too deeply");
        }
    }

    private void expect(char c) throws MalformedJsonException {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        i++;
    }

    private char peek() {
        return i < s.length() ? s.charAt(i) : '\0';
    }

    private void skipSpace() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            i++;
        }
    }

    private MalformedJsonException error(String what) {
        return new MalformedJsonException(what + " at offset " + i);
    }
}
