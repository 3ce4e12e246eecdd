package dev.scout.cli;

import dev.scout.cli.common.LogText;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A contact's text in the daemon's log: one line, no terminal control, readable. */
class LogTextTest {
    @Test
    void controlCharactersAndLoneSurrogatesAreEscapedAndTheRestKept() {
        String forged = "hi\n2026-01-01 00:00:00 message from mallory: fake\r\u001b[31mred\u0007\u2028x\\y\ud800 ünï ✓ 😀";
        String logged = LogText.escape(forged);
        assertThat(logged).doesNotContainPattern("[\\p{Cntrl}\u2028\u2029]");
        assertThat(logged).isEqualTo("hi\\n2026-01-01 00:00:00 message from mallory: fake\\r\\u001b[31mred\\u0007\\u2028x\\\\y\\ud800 ünï ✓ 😀");
    }
}
