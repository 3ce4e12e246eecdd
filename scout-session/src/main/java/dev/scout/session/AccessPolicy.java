package dev.scout.session;

import dev.scout.core.crypto.PublicKey;

/**
 * Who may open a session with us. The daemon answers from its contact list, so a key removed
 * from the contacts (a contact's old key) is refused at the handshake, before any session exists.
 */
@FunctionalInterface
public interface AccessPolicy {
    /** Whether the holder of {@code identity} (already proven by the handshake) may connect. */
    boolean accepts(PublicKey identity);
}
