package dev.scout.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** Shared plumbing of the {@code scout} subcommands: output in human or JSON form. */
abstract class BaseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    final CommandLine cl() {
        return spec.commandLine();
    }

    final boolean json() {
        return ScoutCommand.of(spec).json();
    }

    final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Prints {@code json} as one line with --json, else {@code human} (if not null). */
    final void emit(Json.Obj json, String human) {
        PrintWriter out = out();
        if (json()) {
            out.println(json);
        } else if (human != null) {
            out.println(human);
        }
        out.flush();
    }
}
