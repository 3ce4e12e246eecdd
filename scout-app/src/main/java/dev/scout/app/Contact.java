package dev.scout.app;

import dev.scout.dht.Ed25519PublicKey;
import java.time.Instant;
import java.util.Objects;

/**
 * Someone this installation knows by name.
 *
 * @param name unique (case-insensitively), 1–64 ASCII letters, digits, '-', '_' or '.'
 * @param publicKey their identity's public key, unique among contacts
 * @param addedAt when the contact was added (millisecond precision)
 */
public record Contact(String name, Ed25519PublicKey publicKey, Instant addedAt) {
    /**
     * Rejects nulls; the name's syntax and uniqueness are checked by the store.
     *
     * @param name not {@code null}
     * @param publicKey not {@code null}
     * @param addedAt not {@code null}
     */
    public Contact {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(addedAt, "addedAt");
    }
}
