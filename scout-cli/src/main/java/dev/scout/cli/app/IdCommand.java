package dev.scout.cli.app;

import dev.scout.cli.api.Views;
import dev.scout.cli.common.BaseCommand;
import dev.scout.cli.common.DaemonClient;
import dev.scout.cli.common.Globals;
import dev.scout.cli.common.Version;

import dev.scout.cli.api.Jackson;

import dev.scout.sqlite.StateStore;
import dev.scout.dht.Ed25519KeyPair;
import picocli.CommandLine.Command;

/** {@code scout id}: print this identity's public key. */
@Command(name = "id", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Print this identity's public key (z-base-32).",
                "JSON: {\"public_key\": zbase32, \"public_key_hex\": hex}"})
public final class IdCommand extends BaseCommand {
    @Override
    public Integer call() {
        java.util.Optional<DaemonClient> daemon = daemon();
        if (daemon.isPresent()) {
            com.fasterxml.jackson.databind.JsonNode id = daemon.get().get("/v1/identity");
            emit(Jackson.object().put("public_key", id.path("public_key").asText())
                    .put("public_key_hex", id.path("public_key_hex").asText()), id.path("public_key").asText());
            return 0;
        }
        try (StateStore store = StateStore.open(Globals.of(spec).stateDir())) {
            Ed25519KeyPair id = store.requireIdentity();
            emit(dev.scout.cli.api.Views.identity(id), id.publicKey().toZBase32());
        }
        return 0;
    }
}
