package dev.scout.cli.dht;

import dev.scout.cli.common.Args;
import dev.scout.cli.common.BaseCommand;
import dev.scout.cli.common.CliException;
import dev.scout.cli.common.CommandNode;
import dev.scout.cli.common.DaemonClient;
import dev.scout.cli.common.Version;

import com.fasterxml.jackson.databind.JsonNode;

import dev.scout.cli.api.Jackson;

import dev.scout.dht.AnnounceResult;
import dev.scout.dht.NodeId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

/**
 * {@code scout dht announce INFOHASH [--port P]}: BEP 5 announce_peer to the closest nodes. Here
 * {@code --port} is the port to announce; the DHT socket's port can still be set before the subcommand
 * ({@code scout --port N dht announce ...}).
 */
@Command(name = "announce", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Announce that this host serves INFOHASH.",
                "JSON: {\"info_hash\": hex, \"stored\": n}"})
public final class DhtAnnounceCommand extends BaseCommand {
    @Parameters(paramLabel = "INFOHASH", description = "40 hex digits.")
    public String infoHash;

    @Option(names = "--port", paramLabel = "P",
            description = "Port to announce (default: implied port, i.e. the DHT socket's own port). "
                    + "To choose the DHT socket's port, put --port before 'dht'.")
    public Integer announcePort;

    @Override
    public Integer call() {
        NodeId hash = Args.id(cl(), "INFOHASH", infoHash);
        if (announcePort != null && (announcePort < 1 || announcePort > 65535)) {
            throw new ParameterException(cl(), "--port must be 1..65535, got " + announcePort);
        }
        int port = announcePort == null ? 0 : announcePort;
        java.util.Optional<DaemonClient> daemon = daemon();
        if (daemon.isPresent()) {
            JsonNode r = daemon.get().post("/v1/dht/announce", Jackson.object().put("info_hash", hash.toHex()).put("port", port));
            String where = port == 0 ? "the daemon's port" : "port " + port;
            emit(r, "announced " + hash.toHex() + " on " + where + " to " + r.path("stored").asInt() + " nodes");
            return 0;
        }
        try (CommandNode dht = CommandNode.joined(spec)) {
            dht.progress("announcing...");
            AnnounceResult result = dht.await(dht.node().announce(hash, port), "announce");
            if (result.stored() == 0) {
                throw new CliException("announce failed: no node accepted the announcement of " + hash.toHex());
            }
            String where = port == 0 ? "the implied port " + dht.node().localAddress().getPort() : "port " + port;
            emit(Jackson.object().put("info_hash", hash.toHex()).put("stored", result.stored()),
                    "announced " + hash.toHex() + " on " + where + " to " + result.stored() + " nodes");
        }
        return 0;
    }
}
