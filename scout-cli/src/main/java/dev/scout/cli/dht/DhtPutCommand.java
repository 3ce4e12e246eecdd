package dev.scout.cli.dht;

import dev.scout.cli.common.Args;
import dev.scout.cli.common.BaseCommand;
import dev.scout.cli.common.CliException;
import dev.scout.cli.common.CommandNode;
import dev.scout.cli.common.DaemonClient;
import dev.scout.cli.common.PortOption;
import dev.scout.cli.common.Version;

import dev.scout.cli.api.Jackson;

import dev.scout.dht.PutConflictException;
import dev.scout.dht.ImmutableItem;
import dev.scout.dht.PutResult;
import dev.scout.dht.StoreOutcome;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.MutableItem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

/**
 * {@code scout dht put}: stores a BEP 44 item. Every limit (value ≤ 1000 bytes bencoded, salt ≤ 64
 * bytes) and every argument is checked before the node starts.
 */
@Command(name = "put", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Store VALUE in the DHT as a BEP 44 item.",
                "Immutable (default): stored under the SHA-1 of the bencoded value.",
                "  JSON: {\"target\": hex, \"stored\": n}",
                "Mutable (--mutable --seed HEX): signed with the Ed25519 key of the seed, stored under "
                        + "SHA-1(public key + salt). Without --seq the new seq is the highest stored + 1, "
                        + "guarded by cas; --cas N alone means seq N+1 if the stored seq is still N.",
                "  JSON: {\"target\": hex, \"public_key\": hex, \"seq\": n, \"stored\": n}"})
public final class DhtPutCommand extends BaseCommand {
    @Mixin
    public PortOption port;

    @Parameters(paramLabel = "VALUE", description = "UTF-8 text, stored as a bencoded byte string.")
    public String value;

    @Option(names = "--bencoded", description = "VALUE is raw bencode (e.g. 'li1ei2ee'), stored as is.")
    public boolean bencoded;

    @Option(names = "--mutable", description = "Store a mutable (signed) item.")
    public boolean mutable;

    @Option(names = "--seed", paramLabel = "HEX", description = "Ed25519 seed, 64 hex digits (with --mutable).")
    public String seed;

    @Option(names = "--salt", paramLabel = "S", description = "Salt as UTF-8 text, at most 64 bytes.")
    public String salt;

    @Option(names = "--salt-hex", paramLabel = "H", description = "Salt as hex, at most 64 bytes.")
    public String saltHex;

    @Option(names = "--seq", paramLabel = "N", description = "Sequence number to sign (default: highest stored + 1).")
    public Long seq;

    @Option(names = "--cas", paramLabel = "N", description = "Store only if the stored item's seq is N (BEP 44 cas).")
    public Long cas;

    @Override
    public Integer call() {
        byte[] encoded = Args.value(cl(), value, bencoded);
        return mutable ? putMutable(encoded) : putImmutable(encoded);
    }

    private int putImmutable(byte[] encoded) {
        for (String[] o : new String[][] {{"--seed", seed}, {"--salt", salt}, {"--salt-hex", saltHex},
                {"--seq", seq == null ? null : ""}, {"--cas", cas == null ? null : ""}}) {
            if (o[1] != null) {
                throw new ParameterException(cl(), o[0] + " needs --mutable");
            }
        }
        if (viaDaemon(Jackson.object().put("value", value).put("bencoded", bencoded))) {
            return 0;
        }
        try (CommandNode dht = CommandNode.joined(spec)) {
            dht.progress("storing...");
            PutResult result = store(dht, dht.node().putImmutable(ImmutableItem.ofBencoded(encoded)));
            com.fasterxml.jackson.databind.JsonNode r = Jackson.object().put("target", result.target().toHex())
                    .put("stored", result.stored());
            emit(r, human(r));
        }
        return 0;
    }

    private int putMutable(byte[] encoded) {
        if (seed == null) {
            throw new ParameterException(cl(), "--mutable needs --seed HEX (the 32-byte Ed25519 seed)");
        }
        Ed25519KeyPair signer = Ed25519KeyPair.ofSeed(Args.hex(cl(), "--seed", seed, 32));
        byte[] saltBytes = Args.salt(cl(), salt, saltHex);
        if (seq != null && seq < 0) {
            throw new ParameterException(cl(), "--seq must not be negative, got " + seq);
        }
        if (cas != null && cas < 0) {
            throw new ParameterException(cl(), "--cas must not be negative, got " + cas);
        }
        if (seq == null && cas != null && cas == Long.MAX_VALUE) {
            throw new ParameterException(cl(), "--cas " + cas + " leaves no higher seq");
        }
        Long signedSeq = seq != null ? seq : cas != null ? Long.valueOf(cas + 1) : null;
        MutableItem item = signedSeq == null ? null : MutableItem.sign(signer, saltBytes, signedSeq, encoded);
        com.fasterxml.jackson.databind.node.ObjectNode request = Jackson.object().put("value", value).put("bencoded", bencoded)
                .put("seed", seed.strip()).put("salt_hex", HexFormat.of().formatHex(saltBytes));
        if (seq != null) {
            request.put("seq", seq);
        }
        if (cas != null) {
            request.put("cas", cas);
        }
        if (viaDaemon(request)) {
            return 0;
        }
        try (CommandNode dht = CommandNode.joined(spec)) {
            dht.progress("storing...");
            CompletableFuture<PutResult> put = item == null
                    ? dht.node().putMutable(signer, saltBytes, encoded)
                    : cas == null ? dht.node().putMutable(item) : dht.node().putMutable(item, cas);
            PutResult result = store(dht, put);
            String publicKey = signer.publicKey().toHex();
            com.fasterxml.jackson.databind.JsonNode r = Jackson.object().put("target", result.target().toHex())
                    .put("public_key", publicKey).put("seq", result.seq().orElseThrow()).put("stored", result.stored());
            emit(r, human(r));
        }
        return 0;
    }

    /** Asks the running daemon, if there is one; prints its answer and returns true. */
    private boolean viaDaemon(com.fasterxml.jackson.databind.node.ObjectNode request) {
        java.util.Optional<DaemonClient> daemon = daemon();
        if (daemon.isEmpty()) {
            return false;
        }
        com.fasterxml.jackson.databind.JsonNode r = daemon.get().post("/v1/dht/put", request);
        emit(r, human(r));
        return true;
    }

    /** The human form of a put's JSON result. */
    public static String human(com.fasterxml.jackson.databind.JsonNode r) {
        return r.has("public_key")
                ? "target      " + r.path("target").asText() + System.lineSeparator()
                        + "public key  " + r.path("public_key").asText() + System.lineSeparator()
                        + "seq         " + r.path("seq").asLong() + System.lineSeparator()
                        + "stored on   " + r.path("stored").asInt() + " nodes"
                : "target     " + r.path("target").asText() + System.lineSeparator()
                        + "stored on  " + r.path("stored").asInt() + " nodes";
    }

    /** Waits for a put; a 301/302 or a put nobody accepted is an error. */
    private static PutResult store(CommandNode dht, CompletableFuture<PutResult> put) {
        PutResult result;
        try {
            result = dht.await(put, "put");
        } catch (PutConflictException e) {
            throw new CliException("put rejected: " + e.getMessage(), e);
        }
        if (result.stored() == 0) {
            String why = result.failures().stream().filter(o -> o.errorCode() != 0).findFirst()
                    .map(DhtPutCommand::describe)
                    .orElse(result.outcomes().isEmpty() ? "no storing node found" : "no storing node answered");
            throw new CliException("put failed: no node stored the item (" + why + ")");
        }
        return result;
    }

    private static String describe(StoreOutcome o) {
        return "error " + o.errorCode() + ": " + o.errorMessage();
    }
}
