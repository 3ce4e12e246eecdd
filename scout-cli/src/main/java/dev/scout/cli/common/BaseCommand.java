package dev.scout.cli.common;

import com.fasterxml.jackson.databind.JsonNode;

import dev.scout.cli.api.Jackson;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** Shared plumbing of the {@code scout} subcommands: output in human or JSON form. */
public abstract class BaseCommand implements Callable<Integer> {
    @Spec
    public CommandSpec spec;

    public final CommandLine cl() {
        return spec.commandLine();
    }

    public final boolean json() {
        return Globals.of(spec).json();
    }

    public final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** The daemon running for this state directory, if any: then the command goes through its API. */
    public final java.util.Optional<DaemonClient> daemon() {
        return DaemonClient.find(Globals.of(spec).stateDir());
    }

    /** Prints {@code json} as one line with --json, else {@code human} (if not null). */
    public final void emit(JsonNode json, String human) {
        PrintWriter out = out();
        if (json()) {
            out.println(Jackson.line(json));
        } else if (human != null) {
            out.println(human);
        }
        out.flush();
    }
}
