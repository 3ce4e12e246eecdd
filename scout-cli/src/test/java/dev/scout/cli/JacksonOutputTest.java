package dev.scout.cli;

import dev.scout.cli.api.Jackson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI's JSON lines: pure ASCII whatever the text, and exactly the text again when parsed. */
class JacksonOutputTest {
    @Test
    void linesArePureAsciiAndRoundTrip() throws Exception {
        String nasty = "q\"b\\s/n\nr\rt\tb\bf\fnul\u0000esc\u001bdel\u007f é € 😀 \u2028";
        String line = Jackson.line(Jackson.object().put("text", nasty).put("n", 42L));
        assertThat(line.chars().allMatch(c -> c >= 0x20 && c < 0x7f)).as(line).isTrue();
        assertThat(line).doesNotContain("\n").startsWith("{\"text\":\"q\\\"b\\\\s/n\\nr");
        assertThat(Jackson.parse(line).get("text").asText()).isEqualTo(nasty);
        assertThat(CliTestSupport.object(line)).containsEntry("n", 42L);
    }

    @Test
    void parsingIsStrict() {
        for (String bad : new String[] {"{\"a\":1} trailing", "{\"a\":NaN}", "{'a':1}", "{\"a\":1,}"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Jackson.parse(bad)).as(bad)
                    .isInstanceOf(com.fasterxml.jackson.core.JsonProcessingException.class);
        }
        String deep = "[".repeat(100) + "]".repeat(100);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Jackson.parse(deep))
                .isInstanceOf(com.fasterxml.jackson.core.JsonProcessingException.class);
    }
}
