package dev.scout.cli;

import dev.scout.cli.api.Jackson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET/PATCH /v1/settings} over real HTTP: a change shows in the settings and in the status; bad ones change nothing. */
@Timeout(120)
class SettingsApiTest {
    @TempDir
    Path tmp;

    @Test
    void aPatchChangesTheIntervalsAndBadOnesAreRefusedWhole() throws Exception {
        LiveDaemons live = LiveDaemons.get();
        try (DaemonHarness d = live.own(tmp, "settler")) {
            assertThat(d.expect(200, "GET", "/v1/settings", null).get("poll_interval_seconds").asLong()).isEqualTo(1);
            var changed = d.expect(200, "PATCH", "/v1/settings", "{\"poll_interval_seconds\": 7, \"republish_interval_seconds\": 600}");
            assertThat(changed.get("poll_interval_seconds").asLong()).isEqualTo(7);
            assertThat(changed.get("republish_interval_seconds").asLong()).isEqualTo(600);
            assertThat(d.expect(200, "GET", "/v1/status", null).get("settings")).isEqualTo(changed);
            for (String[] bad : new String[][] {{"{\"poll_interval_seconds\": 0}", "invalid_field"},
                    {"{\"poll_interval_seconds\": 5, \"republish_interval_seconds\": 1}", "invalid_field"},
                    {"{\"poll_interval_seconds\": \"5\"}", "invalid_field"}, {"{\"poll\": 5}", "unknown_field"}}) {
                HttpResponse<String> r = d.call("PATCH", "/v1/settings", bad[0]);
                assertThat(r.statusCode()).as(bad[0]).isEqualTo(400);
                assertThat(Jackson.parse(r.body()).get("code").asText()).as(bad[0]).isEqualTo(bad[1]);
            }
            assertThat(d.expect(200, "GET", "/v1/settings", null)).isEqualTo(changed);
        }
    }
}
