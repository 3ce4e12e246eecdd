package dev.scout.cli;

import com.fasterxml.jackson.databind.JsonNode;

import dev.scout.cli.api.Jackson;

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

    /** The daemon running for this state directory, if any: then the command goes through its API. */
    final java.util.Optional<DaemonClient> daemon() {
        return DaemonClient.find(ScoutCommand.of(spec).stateDir());
    }

    /** Prints {@code json} as one line with --json, else {@code human} (if not null). */
    final void emit(JsonNode json, String human) {
        PrintWriter out = out();
        if (json()) {
            out.println(Jackson.line(json));
        } else if (human != null) {
            out.println(human);
        }
        out.flush();
    }
}
