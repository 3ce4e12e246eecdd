package dev.scout.app;

import java.util.List;

/** The people this installation knows. */
public interface ContactStore {
    /** Every contact, by name. */
    List<Contact> contacts();

    /** The contact called {@code name}; fails with a one-line exception if there is none. */
    Contact contact(String name);
}
