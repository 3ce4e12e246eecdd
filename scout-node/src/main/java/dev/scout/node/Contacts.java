package dev.scout.node;

import dev.scout.app.Contact;
import dev.scout.dht.Ed25519PublicKey;

import java.util.List;
import java.util.Optional;

/** A {@link ScoutNode}'s contacts: the people it finds, reaches and accepts sessions from. */
public interface Contacts {
    /**
     * Adds a contact.
     *
     * @param name      unique (case-insensitively), 1–64 ASCII letters, digits, '-', '_' or '.'
     * @param publicKey their identity's public key
     * @return the contact
     * @throws dev.scout.dht.ScoutException if the name is invalid or taken, the key is taken or is this
     *     node's own, or no key exchange can be made with it
     */
    Contact add(String name, Ed25519PublicKey publicKey);

    /**
     * Removes a contact: its live sessions end, its kept-open path and relay entry are forgotten, and
     * its key is refused at the next handshake.
     *
     * @param name the contact's name
     * @throws dev.scout.dht.ScoutException if there is no such contact
     */
    void remove(String name);

    /** {@return every contact, sorted by name} */
    List<Contact> list();

    /**
     * Looks a contact up by name.
     *
     * @param name the contact's name
     * @return the contact
     * @throws dev.scout.dht.ScoutException if there is none
     */
    Contact get(String name);

    /**
     * Looks a contact up by key.
     *
     * @param publicKey their identity's public key
     * @return the contact, if there is one with that key
     */
    Optional<Contact> find(Ed25519PublicKey publicKey);
}
