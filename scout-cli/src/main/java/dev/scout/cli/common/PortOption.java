package dev.scout.cli.common;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The global {@code --port} given after a subcommand: a mixin whose setter stores the value on the root
 * the root command, so {@code scout --port 6881 dht get ...} and {@code scout dht get --port 6881 ...}
 * mean the same.
 */
public final class PortOption {
    @Spec(Spec.Target.MIXEE)
    public CommandSpec mixee;

    @Option(names = "--port", paramLabel = "N", description = "UDP port of the DHT node (default 0 = any free port).")
    public void setPort(Integer port) {
        if (port != null) {
            ((Globals) mixee.root().userObject()).portAfterCommand(port);
        }
    }
}
