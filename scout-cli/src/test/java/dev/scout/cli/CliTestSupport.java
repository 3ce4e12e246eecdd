package dev.scout.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Runs {@code scout} in-process with captured stdout and stderr. */
final class CliTestSupport {
    private CliTestSupport() {}

    /** The outcome of one command. */
    record Run(int exit, String out, String err) {
        Map<String, Object> json() {
            return MiniJson.object(out.strip());
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

    /** {@code --state-dir dir --bootstrap entry} followed by {@code args}. */
    static String[] on(Path stateDir, String bootstrap, String... args) {
        List<String> all = new ArrayList<>(List.of("--state-dir", stateDir.toString(), "--bootstrap", bootstrap));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }
}
