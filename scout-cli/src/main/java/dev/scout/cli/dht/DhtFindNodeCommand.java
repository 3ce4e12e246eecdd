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
import dev.scout.dht.NodeInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.stream.Collectors;

/** {@code scout dht find-node ID}: the closest live nodes to an id. */
@Command(name = "find-node", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Find the nodes closest to ID (one \"id ip:port\" per line, closest first).",
                "JSON: {\"nodes\": [{\"id\": hex, \"address\": \"ip:port\"}, ...]}"})
public final class DhtFindNodeCommand extends BaseCommand {
    @Mixin
    public PortOption port;

    @Parameters(paramLabel = "ID", description = "Target id, 40 hex digits.")
    public String id;

    @Override
    public Integer call() {
        NodeId target = Args.id(cl(), "ID", id);
        java.util.Optional<DaemonClient> daemon = daemon();
        if (daemon.isPresent()) {
            JsonNode r = daemon.get().post("/v1/dht/find-node", Jackson.object().put("id", target.toHex()));
            emit(r, r.path("nodes").isEmpty() ? null : human(r));
            return 0;
        }
        try (CommandNode dht = CommandNode.joined(spec)) {
            dht.progress("looking up...");
            List<NodeInfo> nodes = dht.await(dht.node().findNode(target), "node lookup");
            ArrayNode list = Jackson.array();
            nodes.forEach(n -> list.add(Jackson.object().put("id", n.id().toHex()).put("address", Addresses.format(n.address()))));
            if (nodes.isEmpty()) {
                dht.progress("no nodes found");
            }
            JsonNode r = Jackson.object().set("nodes", list);
            emit(r, nodes.isEmpty() ? null : human(r));
        }
        return 0;
    }

    public static String human(JsonNode r) {
        List<String> lines = new java.util.ArrayList<>();
        r.path("nodes").forEach(n -> lines.add(n.path("id").asText() + " " + n.path("address").asText()));
        return String.join(System.lineSeparator(), lines);
    }
}
