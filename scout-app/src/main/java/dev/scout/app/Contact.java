package dev.scout.app;

import dev.scout.core.crypto.PublicKey;
import java.time.Instant;
import java.util.Objects;

/**
 * Someone this installation knows by name.
 *
 * @param name unique (case-insensitively), 1–64 ASCII letters, digits, '-', '_' or '.'
 * @param publicKey their identity's public key, unique among contacts
 * @param addedAt when the contact was added (millisecond precision)
 */
public record Contact(String name, PublicKey publicKey, Instant addedAt) {
    public Contact {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(addedAt, "addedAt");
    }
}
