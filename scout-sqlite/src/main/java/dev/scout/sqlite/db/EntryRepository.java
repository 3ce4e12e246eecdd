package dev.scout.sqlite.db;

import dev.scout.sqlite.error.UnknownContactException;
import dev.scout.core.RecordEntry;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The last merged entries of each contact record. */
public final class EntryRepository {
    private final Database db;

    public EntryRepository(Database db) {
        this.db = db;
    }

    /**
     * Replaces the contact's stored entry list (the last merged record) with {@code entries}, atomically.
     *
     * @throws IllegalArgumentException if two entries share an id
     * @throws UnknownContactException if there is no such contact
     */
    public synchronized void replaceEntries(String contact, Collection<RecordEntry> entries) {
        List<RecordEntry> list = List.copyOf(entries);
        Set<Long> ids = new HashSet<>();
        for (RecordEntry e : list) {
            if (!ids.add(e.id())) {
                throw new IllegalArgumentException("entry id " + e.id() + " appears twice");
            }
        }
        db.write("store record entries", c -> {
            long id = ContactRepository.contactId(c, contact);
            try (PreparedStatement p = c.prepareStatement("DELETE FROM entries WHERE contact_id = ?")) {
                p.setLong(1, id);
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO entries (contact_id, entry_id, seq, flags, content) VALUES (?, ?, ?, ?, ?)")) {
                for (RecordEntry e : list) {
                    p.setLong(1, id);
                    p.setLong(2, e.id());
                    p.setLong(3, e.seq());
                    p.setInt(4, e.flags());
                    p.setBytes(5, e.content());
                    p.addBatch();
                }
                p.executeBatch();
            }
            return null;
        });
    }

    /** The contact's stored entries, by id (empty if never synchronized). */
    public synchronized List<RecordEntry> entries(String contact) {
        return db.read("read record entries", c -> {
            long id = ContactRepository.contactId(c, contact);
            List<RecordEntry> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT entry_id, seq, flags, content FROM entries WHERE contact_id = ? ORDER BY entry_id")) {
                p.setLong(1, id);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        byte[] content = rs.getBytes(4);
                        out.add(new RecordEntry(rs.getLong(1), rs.getLong(2), rs.getInt(3), content == null ? new byte[0] : content));
                    }
                }
            }
            return out;
        });
    }
}
