package dev.scout.cli.dht;

import dev.scout.cli.common.Args;
import dev.scout.cli.common.BaseCommand;
import dev.scout.cli.common.CliException;
import dev.scout.cli.common.CommandNode;
import dev.scout.cli.common.DaemonClient;
import dev.scout.cli.common.PortOption;
import dev.scout.cli.common.Version;

import java.util.HexFormat;

import dev.scout.cli.api.dht.DhtResource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.scout.cli.api.Jackson;

import dev.scout.dht.Ed25519PublicKey;
import dev.scout.dht.ImmutableItem;
import dev.scout.dht.NodeId;
import dev.scout.dht.MutableItem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.util.Optional;

/** {@code scout dht get}: fetches a BEP 44 item and prints its value. */
@Command(name = "get", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Fetch a BEP 44 item and print its value: a byte string as text, anything else "
                + "in its bencoded form.",
                "Immutable: scout dht get TARGET. Mutable: scout dht get --key PUBKEY [--salt S | --salt-hex H].",
                "JSON: {\"target\": hex, \"value\": string, \"seq\": n (mutable only)}"})
public final class DhtGetCommand extends BaseCommand {
    @Mixin
    public PortOption port;

    @Parameters(paramLabel = "TARGET", arity = "0..1", description = "Immutable item target, 40 hex digits.")
    public String target;

    @Option(names = "--key", paramLabel = "PUBKEY", description = "Mutable item: the Ed25519 public key, 64 hex digits.")
    public String key;

    @Option(names = "--salt", paramLabel = "S", description = "Salt as UTF-8 text (mutable items).")
    public String salt;

    @Option(names = "--salt-hex", paramLabel = "H", description = "Salt as hex (mutable items).")
    public String saltHex;

    @Override
    public Integer call() {
        if (key != null && target != null) {
            throw new ParameterException(cl(), "give TARGET (immutable) or --key (mutable), not both");
        }
        if (key == null && target == null) {
            throw new ParameterException(cl(), "missing TARGET (immutable item) or --key PUBKEY (mutable item)");
        }
        if (key == null && (salt != null || saltHex != null)) {
            throw new ParameterException(cl(), "--salt and --salt-hex need --key");
        }
        return key != null ? getMutable() : getImmutable();
    }

    private int getImmutable() {
        NodeId t = Args.id(cl(), "TARGET", target);
        if (viaDaemon(Jackson.object().put("target", t.toHex()))) {
            return 0;
        }
        try (CommandNode dht = CommandNode.joined(spec)) {
            dht.progress("looking up...");
            Optional<ImmutableItem> found = dht.await(dht.node().getImmutable(t), "item lookup");
            ImmutableItem item = found.orElseThrow(() -> new CliException("no item found for " + t.toHex()));
            String text = render(item.value());
            emit(Jackson.object().put("target", t.toHex()).put("value", text), text);
        }
        return 0;
    }

    private int getMutable() {
        Ed25519PublicKey publicKey = Ed25519PublicKey.of(Args.hex(cl(), "--key", key, 32));
        byte[] saltBytes = Args.salt(cl(), salt, saltHex);
        NodeId t = MutableItem.target(publicKey, saltBytes);
        if (viaDaemon(Jackson.object().put("key", publicKey.toHex())
                .put("salt_hex", HexFormat.of().formatHex(saltBytes)))) {
            return 0;
        }
        try (CommandNode dht = CommandNode.joined(spec)) {
            dht.progress("looking up...");
            Optional<MutableItem> found = dht.await(dht.node().getMutable(publicKey, saltBytes), "item lookup");
            MutableItem item = found.orElseThrow(() -> new CliException("no item found for " + t.toHex()));
            String text = render(item.value());
            emit(Jackson.object().put("target", t.toHex()).put("value", text).put("seq", item.seq()), text);
        }
        return 0;
    }

    /** Asks the running daemon, if there is one; prints its answer and returns true. */
    private boolean viaDaemon(com.fasterxml.jackson.databind.node.ObjectNode request) {
        java.util.Optional<DaemonClient> daemon = daemon();
        if (daemon.isEmpty()) {
            return false;
        }
        JsonNode r = daemon.get().post("/v1/dht/get", request);
        emit(r, r.path("value").asText());
        return true;
    }

    /** A byte string as UTF-8 text; any other value as its bencoded form. */
    public static String render(byte[] bencoded) {
        return DhtResource.render(bencoded);
    }
}
