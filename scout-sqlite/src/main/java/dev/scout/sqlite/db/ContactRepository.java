package dev.scout.sqlite.db;

import dev.scout.sqlite.text.UserText;
import dev.scout.sqlite.error.ContactConflictException;
import dev.scout.sqlite.error.InvalidContactNameException;
import dev.scout.sqlite.error.UnknownContactException;
import dev.scout.app.Contact;
import dev.scout.dht.Ed25519PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Contacts: names and public keys, unique case-insensitively. */
public final class ContactRepository {
    private final Database db;

    public ContactRepository(Database db) {
        this.db = db;
    }

    /**
     * Adds a contact. Adding the same name with the same key again returns the existing contact.
     *
     * @throws InvalidContactNameException if the name is not 1–64 letters, digits, '-', '_' or '.'
     * @throws ContactConflictException if the name is taken by another key, or the key is already
     *     known under another name (the message names that contact)
     */
    public synchronized Contact addContact(String name, Ed25519PublicKey publicKey) {
        Names.requireValid(name);
        Objects.requireNonNull(publicKey, "publicKey");
        return db.write("add a contact", c -> {
            Optional<Contact> byName = selectContact(c, "name = ?", name);
            Optional<Contact> byKey = selectContact(c, "public_key = ?", publicKey.bytes());
            if (byName.isPresent()) {
                if (byName.get().publicKey().equals(publicKey)) {
                    return byName.get();
                }
                throw new ContactConflictException("a contact named " + UserText.display(byName.get().name())
                        + " already exists with another public key (" + byName.get().publicKey().toZBase32() + ")",
                        byName.get().name());
            }
            if (byKey.isPresent()) {
                throw new ContactConflictException("public key " + publicKey.toZBase32()
                        + " is already the contact " + UserText.display(byKey.get().name()), byKey.get().name());
            }
            Instant now = db.now();
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO contacts (name, public_key, added_at) VALUES (?, ?, ?)")) {
                p.setString(1, name);
                p.setBytes(2, publicKey.bytes());
                p.setLong(3, now.toEpochMilli());
                p.executeUpdate();
            }
            return new Contact(name, publicKey, now);
        });
    }

    /** The contact called {@code name} (case-insensitive). @throws UnknownContactException if none */
    public synchronized Contact contact(String name) {
        return findContact(name).orElseThrow(() -> new UnknownContactException(name));
    }

    /** The contact called {@code name} (case-insensitive), if any. */
    public synchronized Optional<Contact> findContact(String name) {
        Objects.requireNonNull(name, "name");
        return db.read("look up a contact", c -> selectContact(c, "name = ?", name));
    }

    /** The contact with {@code publicKey}, if any. */
    public synchronized Optional<Contact> findContact(Ed25519PublicKey publicKey) {
        Objects.requireNonNull(publicKey, "publicKey");
        return db.read("look up a contact", c -> selectContact(c, "public_key = ?", publicKey.bytes()));
    }

    /** Every contact, by name (case-insensitive order). */
    public synchronized List<Contact> contacts() {
        return db.read("list contacts", c -> {
            List<Contact> out = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT name, public_key, added_at FROM contacts ORDER BY name, id")) {
                while (rs.next()) {
                    out.add(contactFrom(rs));
                }
            }
            return out;
        });
    }

    /**
     * Removes a contact and everything stored for it (entries, outbox, outgoing and received
     * messages, read marks), atomically.
     *
     * @throws UnknownContactException if there is no such contact
     */
    public synchronized void removeContact(String name) {
        Objects.requireNonNull(name, "name");
        db.write("remove a contact", c -> {
            long id = contactId(c, name);
            try (PreparedStatement p = c.prepareStatement("DELETE FROM contacts WHERE id = ?")) {
                p.setLong(1, id);
                p.executeUpdate();
            }
            return null;
        });
    }

    private static Optional<Contact> selectContact(Connection c, String where, Object value) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT name, public_key, added_at FROM contacts WHERE " + where)) {
            p.setObject(1, value);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(contactFrom(rs)) : Optional.empty();
            }
        }
    }

    private static Contact contactFrom(ResultSet rs) throws SQLException {
        return new Contact(rs.getString(1), Ed25519PublicKey.of(rs.getBytes(2)), Instant.ofEpochMilli(rs.getLong(3)));
    }

    public static long contactId(Connection c, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT id FROM contacts WHERE name = ?")) {
            p.setString(1, name);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    throw new UnknownContactException(name);
                }
                return rs.getLong(1);
            }
        }
    }

    /** (id, canonical name) of a contact. */
    public record ContactRef(long id, String name) {}

    public static ContactRef contactRef(Connection c, String name) throws SQLException {
        Objects.requireNonNull(name, "contact");
        try (PreparedStatement p = c.prepareStatement("SELECT id, name FROM contacts WHERE name = ?")) {
            p.setString(1, name);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    throw new UnknownContactException(name);
                }
                return new ContactRef(rs.getLong(1), rs.getString(2));
            }
        }
    }
}
