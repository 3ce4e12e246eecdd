package dev.scout.node;

import dev.scout.app.AppStore;
import dev.scout.app.Contact;
import dev.scout.dht.Ed25519PublicKey;

import java.util.Optional;

/**
 * What a {@link ScoutNode} keeps: the {@link AppStore} of its {@link dev.scout.app.ScoutApp} plus the
 * contact list's changes. Two implementations ship: {@link InMemoryStore} (tests, embedding, anything
 * that need not survive a restart) and {@code dev.scout.sqlite.StateStore} (durable, atomic, what the
 * {@code scout} command uses).
 */
public interface NodeStore extends AppStore {
    /**
     * Adds a contact.
     *
     * @param name      unique (case-insensitively), 1–64 ASCII letters, digits, '-', '_' or '.'
     * @param publicKey their identity's public key, unique among contacts
     * @return the contact
     * @throws dev.scout.dht.ScoutException with a one-line message if the name is invalid or the name or
     *     key is taken
     */
    Contact addContact(String name, Ed25519PublicKey publicKey);

    /**
     * Removes a contact and what is kept for it (record entries, messages both ways).
     *
     * @param name the contact's name
     * @throws dev.scout.dht.ScoutException with a one-line message if there is no such contact
     */
    void removeContact(String name);

    /**
     * Looks a contact up by key.
     *
     * @param publicKey their identity's public key
     * @return the contact with that key, if any
     */
    Optional<Contact> findContact(Ed25519PublicKey publicKey);
}
