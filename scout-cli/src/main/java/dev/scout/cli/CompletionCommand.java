package dev.scout.cli;

import dev.scout.cli.common.Version;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code scout completion}: prints a bash completion script ({@code source <(scout completion)}). */
@Command(name = "completion", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Print a bash completion script.", "Use: source <(scout completion)"})
public final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(AutoComplete.bash("scout", spec.root().commandLine()));
        out.flush();
        return 0;
    }
}
