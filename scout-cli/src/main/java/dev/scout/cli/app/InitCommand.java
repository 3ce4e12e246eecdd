package dev.scout.cli.app;

import dev.scout.cli.common.Args;
import dev.scout.cli.common.BaseCommand;
import dev.scout.cli.common.CliException;
import dev.scout.cli.common.Globals;
import dev.scout.cli.common.Version;

import dev.scout.cli.api.Jackson;

import dev.scout.sqlite.IdentityInit;
import dev.scout.sqlite.StateStore;
import dev.scout.dht.Ed25519KeyPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.HexFormat;

/** {@code scout init [--seed HEX] [--force]}: create (or restore) this installation's identity. */
@Command(name = "init", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Create the identity (or restore it from a seed) and print its public key.",
                "JSON: {\"public_key\": zbase32, \"public_key_hex\": hex, \"created\": bool}"})
public final class InitCommand extends BaseCommand {
    @Option(names = "--seed", paramLabel = "HEX", description = "Restore from this 32-byte seed (64 hex digits).")
    public String seedHex;

    @Option(names = "--force", description = "Replace an existing, different identity.")
    public boolean force;

    @Override
    public Integer call() {
        byte[] seed = seedHex == null ? null : Args.hex(cl(), "--seed", seedHex, 32);
        if (force && daemon().isPresent()) {
            throw new CliException("a daemon is running for " + Globals.of(spec).stateDir()
                    + "; stop it (scout stop) before replacing the identity");
        }
        try (StateStore store = StateStore.open(Globals.of(spec).stateDir())) {
            IdentityInit init = store.initIdentity(seed, force);
            Ed25519KeyPair id = init.identity();
            boolean created = init.outcome() != IdentityInit.Outcome.UNCHANGED;
            emit(Jackson.object().put("public_key", id.publicKey().toZBase32())
                            .put("public_key_hex", HexFormat.of().formatHex(id.publicKey().bytes()))
                            .put("created", created),
                    id.publicKey().toZBase32());
        }
        return 0;
    }
}
