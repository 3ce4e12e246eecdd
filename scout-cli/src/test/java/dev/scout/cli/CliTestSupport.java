package dev.scout.cli;

import dev.scout.cli.api.Jackson;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs {@code scout} in-process with captured stdout and stderr. */
final class CliTestSupport {
    private CliTestSupport() {}

    /** The outcome of one command. */
    record Run(int exit, String out, String err) {
        Map<String, Object> json() {
            return object(out.strip());
        }

        List<String> errLines() {
            return err.isEmpty() ? List.of() : Arrays.asList(err.split("\\R"));
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- out ---\n" + out + "--- err ---\n" + err;
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = ScoutCommand.newCommandLine(new ScoutCommand(Map.of()));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** One JSON object, numbers as {@code Long}/{@code Double} (Jackson, as everywhere). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> object(String json) {
        try {
            return dev.scout.cli.api.Jackson.MAPPER.reader()
                    .with(com.fasterxml.jackson.databind.DeserializationFeature.USE_LONG_FOR_INTS)
                    .forType(Map.class).readValue(json);
        } catch (java.io.IOException e) {
            throw new AssertionError("not a JSON object: " + json, e);
        }
    }

    /** A public key as the CLI prints it: 52 characters of the z-base-32 alphabet. */
    static final Pattern Z_BASE_32_KEY = Pattern.compile("[ybndrfg8ejkmcpqxot1uwisza345h769]{52}");

    /** Exit 0 and nothing on stderr. */
    static Run succeeded(Run r) {
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.err()).as(r.toString()).isEmpty();
        return r;
    }

    /**
     * The error contract (docs/spec.md §5): exit code {@code exit}, nothing on stdout, exactly one stderr
     * line starting {@code scout: } and no stack trace or exception class name. Returns that line.
     */
    static String failedWith(int exit, Run r) {
        assertThat(r.exit()).as(r.toString()).isEqualTo(exit);
        assertThat(r.out()).as(r.toString()).isEmpty();
        assertThat(r.errLines()).as(r.toString()).hasSize(1);
        String line = r.errLines().get(0);
        assertThat(line).as(r.toString()).startsWith("scout: ").doesNotContain("\tat ")
                .doesNotContainPattern("[A-Za-z]+(Exception|Error)\\b");
        return line;
    }

    /** Every non-empty stdout line parsed as one JSON object. */
    static List<Map<String, Object>> jsonLines(Run r) {
        return r.out().lines().filter(l -> !l.isBlank()).map(CliTestSupport::object).toList();
    }

    /**
     * The path of {@code name} in /usr/bin, /usr/local/bin or PATH; fails (never skips) naming what needs
     * it when it is not installed.
     */
    static String executable(String name, String neededBy) {
        List<String> dirs = new ArrayList<>(List.of("/usr/bin", "/usr/local/bin"));
        dirs.addAll(Arrays.asList(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)));
        for (String dir : dirs) {
            if (!dir.isEmpty() && java.nio.file.Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        throw new AssertionError(name + " is required by " + neededBy + " (install it); not found in /usr/bin, "
                + "/usr/local/bin or PATH");
    }

    /** {@code --state-dir dir --bootstrap entry} followed by {@code args}. */
    /** Alice and Bob on {@code bootstrap}, each with an identity and the other as contact. Returns {alice key, bob key}. */
    static String[] pair(String bootstrap, Path alice, Path bob) {
        String aliceKey = succeeded(run(on(alice, bootstrap, "init"))).out().strip();
        String bobKey = succeeded(run(on(bob, bootstrap, "init"))).out().strip();
        succeeded(run(on(alice, bootstrap, "contacts", "add", "bob", bobKey)));
        succeeded(run(on(bob, bootstrap, "contacts", "add", "alice", aliceKey)));
        return new String[] {aliceKey, bobKey};
    }

    static String[] on(Path stateDir, String bootstrap, String... args) {
        List<String> all = new ArrayList<>(List.of("--state-dir", stateDir.toString(), "--bootstrap", bootstrap));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }
}
