package dev.scout.cli.dht;

import dev.scout.cli.common.PortOption;
import dev.scout.cli.common.Version;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code scout dht}: the raw DHT operations (BEP 5 and BEP 44). */
@Command(name = "dht", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Raw Mainline DHT operations (BEP 5 peers, BEP 44 items).",
        subcommands = {DhtPingCommand.class, DhtFindNodeCommand.class, DhtAnnounceCommand.class,
                DhtPeersCommand.class, DhtPutCommand.class, DhtGetCommand.class})
public final class DhtCommand implements Callable<Integer> {
    @Spec
    public CommandSpec spec;

    @Mixin
    public PortOption port;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: ping, find-node, announce, peers, put or get");
    }
}
