package dev.scout.app;

import java.util.List;

/** The people this installation knows. */
public interface ContactStore {
    /** {@return every contact, sorted by name} */
    List<Contact> contacts();

    /**
     * Looks a contact up by name.
     *
     * @param name the contact's name
     * @return the contact called {@code name}
     * @throws dev.scout.dht.ScoutException with a one-line message if there is none
     */
    Contact contact(String name);
}
