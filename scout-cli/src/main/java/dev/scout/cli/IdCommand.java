package dev.scout.cli;

import dev.scout.cli.state.StateStore;
import dev.scout.dht.Ed25519KeyPair;
import picocli.CommandLine.Command;

/** {@code scout id}: print this identity's public key. */
@Command(name = "id", mixinStandardHelpOptions = true, versionProvider = ScoutCommand.Version.class,
        description = {"Print this identity's public key (z-base-32).",
                "JSON: {\"public_key\": zbase32, \"public_key_hex\": hex}"})
public final class IdCommand extends BaseCommand {
    @Override
    public Integer call() {
        try (StateStore store = StateStore.open(ScoutCommand.of(spec).stateDir())) {
            Ed25519KeyPair id = store.requireIdentity();
            emit(Json.object().put("public_key", id.publicKey().toZBase32()).put("public_key_hex", id.publicKey().toHex()),
                    id.publicKey().toZBase32());
        }
        return 0;
    }
}
