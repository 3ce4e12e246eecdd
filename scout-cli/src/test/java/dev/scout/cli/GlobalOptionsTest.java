package dev.scout.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.scout.cli.CliTestSupport.failedWith;
import static dev.scout.cli.CliTestSupport.run;
import static dev.scout.cli.CliTestSupport.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

/** Global options and the identity file are checked by every command, including ones that open no socket. */
class GlobalOptionsTest {
    @TempDir
    Path dir;

    @Test
    void aPortOutOfRangeIsAUsageErrorEvenForCommandsWithoutANode() {
        succeeded(run("--state-dir", dir.toString(), "init"));
        String line = failedWith(2, run("--state-dir", dir.toString(), "--port", "99999", "id"));
        assertThat(line).contains("--port must be 0..65535").contains("99999");
        assertThat(failedWith(2, run("--state-dir", dir.toString(), "id", "--port", "-1"))).contains("--port");
    }

    @Test
    void aMalformedBootstrapIsAUsageErrorBeforeAnythingRuns() {
        succeeded(run("--state-dir", dir.toString(), "init"));
        assertThat(failedWith(2, run("--state-dir", dir.toString(), "--bootstrap", "nonsense:xx", "contacts", "list")))
                .contains("--bootstrap").contains("nonsense:xx");
        assertThat(failedWith(2, run("--state-dir", dir.toString(), "--bootstrap", "nonsense", "id")))
                .contains("--bootstrap expects HOST:PORT");
        assertThat(failedWith(2, run("--state-dir", dir.toString(), "--bootstrap", " , ", "id")))
                .contains("--bootstrap needs at least one HOST:PORT");
    }

    @Test
    void anEmptyOrCorruptIdentityKeyIsReportedByContactsList() throws Exception {
        succeeded(run("--state-dir", dir.toString(), "init"));
        Path key = dir.resolve("identity.key");
        Files.writeString(key, "");
        assertThat(failedWith(1, run("--state-dir", dir.toString(), "contacts", "list")))
                .contains("identity.key").contains("not a valid identity key file");
        Files.writeString(key, "zz".repeat(32) + "\n");
        assertThat(failedWith(1, run("--state-dir", dir.toString(), "contacts", "list")))
                .contains("not a hex digit");
    }

    @Test
    void validGlobalOptionsStillWork() {
        succeeded(run("--state-dir", dir.toString(), "--port", "0", "--bootstrap", "127.0.0.1:1,[::1]:2", "init"));
        assertThat(succeeded(run("--state-dir", dir.toString(), "contacts", "list")).out()).contains("no contacts");
    }
}
