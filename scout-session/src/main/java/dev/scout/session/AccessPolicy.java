package dev.scout.session;

import dev.scout.dht.Ed25519PublicKey;

/**
 * Who may open a session with us. Answered from the contact list (a ScoutNode does so), a key
 * removed from the contacts (a contact's old key) is refused at the handshake, before any session exists.
 */
@FunctionalInterface
public interface AccessPolicy {
    /**
     * Decides one incoming handshake. Called on the endpoint's loop thread, so it must answer quickly
     * and be thread-safe.
     *
     * @param identity the initiator's identity key, already proven by the handshake
     * @return whether its holder may open a session with us
     */
    boolean accepts(Ed25519PublicKey identity);
}
