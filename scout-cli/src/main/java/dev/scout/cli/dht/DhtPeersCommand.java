package dev.scout.cli.dht;

import dev.scout.cli.common.Args;
import dev.scout.cli.common.BaseCommand;
import dev.scout.cli.common.CommandNode;
import dev.scout.cli.common.DaemonClient;
import dev.scout.cli.common.PortOption;
import dev.scout.cli.common.Version;

import com.fasterxml.jackson.databind.JsonNode;

import com.fasterxml.jackson.databind.node.ArrayNode;

import dev.scout.cli.api.Jackson;

import dev.scout.dht.Addresses;
import dev.scout.dht.NodeId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.net.InetSocketAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** {@code scout dht peers INFOHASH}: BEP 5 get_peers; one {@code ip:port} per line. */
@Command(name = "peers", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Find the peers announced for INFOHASH (one ip:port per line).",
                "JSON: {\"peers\": [\"ip:port\", ...]}"})
public final class DhtPeersCommand extends BaseCommand {
    @Mixin
    public PortOption port;

    @Parameters(paramLabel = "INFOHASH", description = "40 hex digits.")
    public String infoHash;

    @Override
    public Integer call() {
        NodeId hash = Args.id(cl(), "INFOHASH", infoHash);
        java.util.Optional<DaemonClient> daemon = daemon();
        if (daemon.isPresent()) {
            JsonNode r = daemon.get().post("/v1/dht/peers", Jackson.object().put("info_hash", hash.toHex()));
            List<String> peers = new java.util.ArrayList<>();
            r.path("peers").forEach(p -> peers.add(p.asText()));
            emit(r, peers.isEmpty() ? null : String.join(System.lineSeparator(), peers));
            return 0;
        }
        try (CommandNode dht = CommandNode.joined(spec)) {
            dht.progress("looking up...");
            List<InetSocketAddress> peers = dht.await(dht.node().getPeers(hash), "peer lookup");
            Set<String> unique = new LinkedHashSet<>();
            peers.forEach(p -> unique.add(Addresses.format(p)));
            if (unique.isEmpty()) {
                dht.progress("no peers found");
            }
            ArrayNode list = Jackson.array();
            unique.forEach(list::add);
            emit(Jackson.object().set("peers", list),
                    unique.isEmpty() ? null : String.join(System.lineSeparator(), unique));
        }
        return 0;
    }
}
