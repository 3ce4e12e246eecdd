package dev.scout.cli;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {
    @Test
    void writesObjectsArraysAndScalarsInOrder() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("z", 1);
        inner.put("a", null);
        String json = Json.object().put("s", "x").put("n", 42L).put("neg", -7).put("b", true).put("f", false)
                .put("list", List.of("a", 2, List.of())).put("map", inner).put("d", 1.5).put("empty", Json.object())
                .toString();
        assertThat(json).isEqualTo("{\"s\":\"x\",\"n\":42,\"neg\":-7,\"b\":true,\"f\":false,"
                + "\"list\":[\"a\",2,[]],\"map\":{\"z\":1,\"a\":null},\"d\":1.5,\"empty\":{}}");
        assertThat(MiniJson.object(json)).containsKeys("s", "n", "list", "map");
    }

    @Test
    void escapesEverythingThatNeedsIt() {
        String nasty = "q\"b\\s/n\nr\rt\tb\bf\fnul\u0000esc\u001bdel\u007f é € 😀 \u2028";
        String json = Json.quote(nasty);
        assertThat(json).isEqualTo("\"q\\\"b\\\\s/n\\nr\\rt\\tb\\bf\\fnul\\u0000esc\\u001bdel\\u007f \\u00e9 \\u20ac "
                + "\\ud83d\\ude00 \\u2028\"");
        assertThat(json.chars().allMatch(c -> c >= 0x20 && c < 0x7f)).isTrue();
        assertThat(MiniJson.parse(json)).isEqualTo(nasty);
    }

    @Test
    void arraysAndRejects() {
        assertThat(Json.write(new Object[] {1, "two", null})).isEqualTo("[1,\"two\",null]");
        assertThat(Json.write(Arrays.asList())).isEqualTo("[]");
        assertThatThrownBy(() -> Json.write(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.write(new Object())).isInstanceOf(IllegalArgumentException.class);
    }
}
