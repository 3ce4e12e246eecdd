package dev.scout.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scout.cli.api.Jackson;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The quick path's JSON reads and writes exactly as the commands' Jackson does. */
class JsonValuesTest {
    private static final String[] FIELDS = {"text", "n", "ok", "none", "list", "obj", "missing"};

    @Test
    void writesEveryCharacterAsJacksonLineDoes() throws Exception {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x800; c++) {
            all.append(c);
        }
        all.append("\uD83D\uDE00 \uFFFF \uD800"); // a surrogate pair, a non-character, a lone surrogate
        String json = Jackson.line(Jackson.object().put("s", all.toString()).put("\u00e9\n", "k"));
        assertSameAsJackson(json);
    }

    @Test
    void randomDocumentsReadAndWriteAsJacksonDoes() throws Exception {
        Random r = new Random(0x5C0_07_2026L);
        for (int i = 0; i < 2_000; i++) {
            assertSameAsJackson(randomValue(r, 0));
        }
    }

    @Test
    void numbersKeepJacksonsForms() throws Exception {
        for (String n : List.of("0", "-0", "7", "-2147483648", "2147483648", "9223372036854775807", "9223372036854775808",
                "-9223372036854775809", "1.5", "1e3", "-2.5E-3", "0.1", "1.0", "123456789012345678901234567890")) {
            assertSameAsJackson("{\"n\":" + n + ",\"a\":[" + n + "]}");
        }
    }

    @Test
    void accessorsMeanWhatJsonNodesMean() throws Exception {
        String json = "{\"text\":\" 12 \",\"n\":3000000000,\"ok\":true,\"none\":null,\"list\":[1,\"x\"],\"obj\":{\"a\":\"b\"}}";
        for (String doc : List.of(json, json.replace("\" 12 \"", "\"abc\"").replace("3000000000", "2.75"), "[]", "\"s\"", "{}")) {
            JsonNode j = Jackson.parse(doc);
            Object q = JsonReader.parse(doc);
            for (String f : FIELDS) {
                Object v = JsonValues.path(q, f);
                JsonNode n = j.path(f);
                String what = doc + " ." + f;
                assertThat(JsonValues.asText(v)).as(what).isEqualTo(n.asText());
                assertThat(JsonValues.asText(v, "dflt")).as(what).isEqualTo(n.asText("dflt"));
                assertThat(JsonValues.asInt(v)).as(what).isEqualTo(n.asInt());
                assertThat(JsonValues.asLong(v)).as(what).isEqualTo(n.asLong());
                assertThat(JsonValues.asBoolean(v, false)).as(what).isEqualTo(n.asBoolean(false));
                assertThat(JsonValues.isEmpty(v)).as(what).isEqualTo(n.isEmpty());
                assertThat(JsonValues.size(v)).as(what).isEqualTo(n.size());
                assertThat(JsonValues.isNull(v)).as(what).isEqualTo(n.isNull());
                assertThat(JsonValues.has(q, f)).as(what).isEqualTo(j.has(f));
                assertThat(JsonValues.hasNonNull(q, f)).as(what).isEqualTo(j.hasNonNull(f));
                assertThat(JsonValues.elements(v)).as(what).hasSize(n.size());
                if (n.isContainerNode() || n.isValueNode()) {
                    assertThat(JsonValues.plain(v)).as(what).isEqualTo(n.toString());
                }
            }
        }
    }

    @Test
    void refusesWhatJacksonRefuses() throws Exception {
        for (String blank : List.of("", " \n")) {
            assertThat(JsonReader.parse(blank)).isNull(); // missing, as Jackson's MissingNode
        }
        for (String bad : List.of("{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "01", "1.", ".5", "-", "1e", "tru", "nul",
                "\"unterminated", "\"bad \\x escape\"", "\"raw \u0001 control\"", "{} {}", "[1] x", "NaN", "'single'",
                "[".repeat(40) + "]".repeat(40), "1" + "0".repeat(80))) {
            assertThatThrownBy(() -> Jackson.parse(bad)).as(bad).isInstanceOf(Exception.class);
            assertThatThrownBy(() -> JsonReader.parse(bad)).as(bad).isInstanceOf(JsonReader.MalformedJsonException.class);
        }
    }

    private static void assertSameAsJackson(String json) throws Exception {
        JsonNode j = Jackson.parse(json);
        Object q = JsonReader.parse(json);
        assertThat(JsonValues.asciiLine(q)).as(json).isEqualTo(Jackson.line(j));
        assertThat(JsonValues.plain(q)).as(json).isEqualTo(j.toString());
    }

    /** A random JSON text, pretty or compact, with strings over the whole range of chars. */
    private static String randomValue(Random r, int depth) {
        int kind = depth > 4 ? r.nextInt(5) : r.nextInt(7);
        String space = r.nextInt(4) == 0 ? " \n\t" : "";
        switch (kind) {
            case 0:
                return quoted(randomString(r));
            case 1:
                return Long.toString(r.nextLong() >> r.nextInt(64));
            case 2:
                return Double.toString(r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20));
            case 3:
                return r.nextBoolean() ? "true" : "false";
            case 4:
                return "null";
            case 5: {
                StringBuilder b = new StringBuilder("[" + space);
                for (int k = r.nextInt(4); k > 0; k--) {
                    b.append(randomValue(r, depth + 1)).append(k > 1 ? "," + space : "");
                }
                return b.append(space).append(']').toString();
            }
            default: {
                StringBuilder b = new StringBuilder("{" + space);
                for (int k = r.nextInt(4); k > 0; k--) {
                    b.append(quoted(randomString(r))).append(space).append(':').append(randomValue(r, depth + 1))
                            .append(k > 1 ? "," + space : "");
                }
                return b.append(space).append('}').toString();
            }
        }
    }

    private static String randomString(Random r) {
        StringBuilder b = new StringBuilder();
        for (int k = r.nextInt(12); k > 0; k--) {
            int range = r.nextInt(4);
            b.append((char) (range == 0 ? r.nextInt(0x80) : range == 1 ? r.nextInt(0x20) + 0x70 : range == 2 ? r.nextInt(0xD800) : 'a'));
        }
        return b.toString();
    }

    /** A JSON string literal of {@code s}, escaping only what must be, sometimes more (\\u forms, \\/). */
    private static String quoted(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || (c >= 0xD800 && c <= 0xDFFF) || c % 7 == 0) {
                b.append(String.format("\\u%04x", (int) c));
            } else if (c == '/') {
                b.append("\\/");
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
