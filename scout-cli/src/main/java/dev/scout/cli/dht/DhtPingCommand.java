package dev.scout.cli.dht;

import dev.scout.cli.common.Args;
import dev.scout.cli.common.BaseCommand;
import dev.scout.cli.common.CliException;
import dev.scout.cli.common.CommandNode;
import dev.scout.cli.common.DaemonClient;
import dev.scout.cli.common.PortOption;
import dev.scout.cli.common.Version;

import com.fasterxml.jackson.databind.JsonNode;

import dev.scout.cli.api.Jackson;

import dev.scout.dht.Addresses;
import dev.scout.dht.NodeId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeoutException;

/** {@code scout dht ping HOST:PORT}: one BEP 5 ping; prints the node's id. Does not join the DHT. */
@Command(name = "ping", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Ping a DHT node and print its node id.",
                "JSON: {\"node_id\": hex, \"address\": \"ip:port\"}"})
public final class DhtPingCommand extends BaseCommand {
    @Mixin
    public PortOption port;

    @Parameters(paramLabel = "HOST:PORT", description = "The node to ping.")
    public String address;

    @Override
    public Integer call() {
        InetSocketAddress target = Args.resolve(cl(), "HOST:PORT", address);
        java.util.Optional<DaemonClient> daemon = daemon();
        if (daemon.isPresent()) {
            JsonNode r = daemon.get().post("/v1/dht/ping", Jackson.object().put("address", Addresses.format(target)));
            emit(r, r.path("node_id").asText());
            return 0;
        }
        try (CommandNode dht = CommandNode.standalone(spec, target)) {
            dht.progress("pinging " + Addresses.format(target) + "...");
            NodeId id;
            try {
                id = dht.await(dht.node().ping(target), "ping");
            } catch (CliException e) {
                if (e.getCause() instanceof TimeoutException) {
                    // "no answer" only when the request left this host; otherwise say why it did not.
                    throw new CliException(dht.node().lastSendFailure().filter(f -> f.to().equals(target))
                            .map(f -> f.describe()).orElse("no answer from " + Addresses.format(target)));
                }
                throw e;
            }
            emit(Jackson.object().put("node_id", id.toHex()).put("address", Addresses.format(target)), id.toHex());
        }
        return 0;
    }
}
