package dev.scout.sqlite;

import dev.scout.sqlite.db.ContactRepository;
import dev.scout.sqlite.db.Database;
import dev.scout.sqlite.error.UnknownContactException;
import dev.scout.sqlite.error.UnknownMessageException;
import dev.scout.app.IncomingMessage;
import dev.scout.app.ReadMark;
import dev.scout.app.ReceivedMessage;
import dev.scout.core.message.MessageId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Received messages, fetch marks (how far each contact device's list was fetched: where an inbox walk
 * stops) and read marks (how far the user has read it: what is published, and what {@code is_read} says).
 */
public final class InboxRepository {
    private final Database db;

    InboxRepository(Database db) {
        this.db = db;
    }

    /**
     * Records received messages that are not recorded yet (idempotent: known ids are skipped), unread,
     * and then moves the fetch marks to {@code marks}, all in one transaction. Give each device's messages oldest first: the
     * recording order is what "older than the read mark" means.
     *
     * @return the messages that were new, in the order given
     * @throws UnknownContactException if there is no such contact
     */
    public synchronized List<ReceivedMessage> addReceived(String contact, List<IncomingMessage> messages,
                                                          List<ReadMark> marks) {
        List<IncomingMessage> incoming = List.copyOf(messages);
        List<ReadMark> newMarks = List.copyOf(marks);
        return db.write("record received messages", c -> {
            ContactRepository.ContactRef ref = ContactRepository.contactRef(c, contact);
            Instant now = db.now();
            List<ReceivedMessage> added = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("INSERT INTO received (contact_id, device_tag, message_id, "
                    + "text, sent_at, received_at, is_read) VALUES (?, ?, ?, ?, ?, ?, 0) "
                    + "ON CONFLICT (contact_id, message_id) DO NOTHING")) {
                for (IncomingMessage m : incoming) {
                    p.setLong(1, ref.id());
                    p.setInt(2, m.deviceTag());
                    p.setBytes(3, m.id().bytes());
                    p.setString(4, m.text());
                    p.setLong(5, m.sentAt().toEpochMilli());
                    p.setLong(6, now.toEpochMilli());
                    if (p.executeUpdate() > 0) {
                        added.add(new ReceivedMessage(lastRowId(c), ref.name(), m.deviceTag(), m.id(), m.text(),
                                Instant.ofEpochMilli(m.sentAt().toEpochMilli()), now, false));
                    }
                }
            }
            applyMarks(c, ref.id(), newMarks, "fetch_marks");
            return added;
        });
    }

    /**
     * Moves read marks: for each mark, the contact device's mark becomes {@code messageId} and every
     * recorded message from that device up to it becomes read. A mark never moves back to a message
     * recorded before the current one.
     */
    public synchronized void markRead(String contact, List<ReadMark> marks) {
        List<ReadMark> newMarks = List.copyOf(marks);
        db.write("update read marks", c -> {
            applyMarks(c, ContactRepository.contactId(c, contact), newMarks, "read_marks");
            return null;
        });
    }

    /** The contact's read marks, by device tag. */
    public synchronized List<ReadMark> readMarks(String contact) {
        return marks(contact, "read_marks");
    }

    /** The contact's fetch marks, by device tag. */
    public synchronized List<ReadMark> fetchMarks(String contact) {
        return marks(contact, "fetch_marks");
    }

    /**
     * The read marks that make every message of the contact up to {@code upTo} (recording order) read:
     * for each device, its last message recorded at or before it.
     *
     * @throws UnknownMessageException if no message {@code upTo} was received from the contact
     */
    public synchronized List<ReadMark> marksUpTo(String contact, MessageId upTo) {
        return db.read("find read marks", c -> {
            long id = ContactRepository.contactId(c, contact);
            long limit = Long.MAX_VALUE;
            if (upTo != null) {
                try (PreparedStatement p = c.prepareStatement("SELECT seq FROM received WHERE contact_id = ? AND message_id = ?")) {
                    p.setLong(1, id);
                    p.setBytes(2, upTo.bytes());
                    try (ResultSet rs = p.executeQuery()) {
                        if (!rs.next()) {
                            throw new UnknownMessageException("no message " + upTo.toHex() + " from " + contact);
                        }
                        limit = rs.getLong(1);
                    }
                }
            }
            List<ReadMark> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT device_tag, message_id FROM received r WHERE "
                    + "contact_id = ? AND seq = (SELECT max(seq) FROM received WHERE contact_id = r.contact_id "
                    + "AND device_tag = r.device_tag AND seq <= ?) ORDER BY device_tag")) {
                p.setLong(1, id);
                p.setLong(2, limit);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ReadMark(rs.getInt(1), MessageId.of(rs.getBytes(2))));
                    }
                }
            }
            return out;
        });
    }

    private List<ReadMark> marks(String contact, String table) {
        return db.read("read " + table, c -> {
            long id = ContactRepository.contactId(c, contact);
            List<ReadMark> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT device_tag, message_id FROM " + table + " WHERE contact_id = ? ORDER BY device_tag")) {
                p.setLong(1, id);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ReadMark(rs.getInt(1), MessageId.of(rs.getBytes(2))));
                    }
                }
            }
            return out;
        });
    }

    /** Whether the message was already recorded for the contact (so an inbox walk can stop there). */
    public synchronized boolean hasReceived(String contact, MessageId id) {
        Objects.requireNonNull(id, "id");
        return db.read("look up a received message", c -> {
            long contactId = ContactRepository.contactId(c, contact);
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT 1 FROM received WHERE contact_id = ? AND message_id = ?")) {
                p.setLong(1, contactId);
                p.setBytes(2, id.bytes());
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Received messages matching {@code query}, in recording order (oldest first). */
    public synchronized List<ReceivedMessage> received(ReceivedQuery query) {
        Objects.requireNonNull(query, "query");
        return db.read("list received messages", c -> {
            StringBuilder sql = new StringBuilder("SELECT r.seq, c.name, r.device_tag, r.message_id, r.text, r.sent_at, "
                    + "r.received_at, r.is_read FROM received r JOIN contacts c ON c.id = r.contact_id WHERE 1 = 1");
            List<Object> args = new ArrayList<>();
            if (query.contact() != null) {
                sql.append(" AND r.contact_id = ?");
                args.add(ContactRepository.contactId(c, query.contact()));
            }
            if (query.onlyUnread()) {
                sql.append(" AND r.is_read = 0");
            }
            if (query.since() != null) {
                sql.append(" AND r.received_at >= ?");
                args.add(query.since().toEpochMilli());
            }
            if (query.messageId() != null) {
                sql.append(" AND r.message_id = ?");
                args.add(query.messageId().bytes());
            }
            if (query.afterSeq() > 0) {
                sql.append(" AND r.seq > ?");
                args.add(query.afterSeq());
            }
            sql.append(" ORDER BY r.seq");
            if (query.limit() > 0) {
                sql.append(" LIMIT ?");
                args.add(query.limit());
            }
            List<ReceivedMessage> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    p.setObject(i + 1, args.get(i));
                }
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ReceivedMessage(rs.getLong(1), rs.getString(2), rs.getInt(3),
                                MessageId.of(rs.getBytes(4)), rs.getString(5), Instant.ofEpochMilli(rs.getLong(6)),
                                Instant.ofEpochMilli(rs.getLong(7)), rs.getInt(8) != 0));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Moves the marks in {@code table} ({@code read_marks} or {@code fetch_marks}), never back; read marks
     * also mark the messages up to them read.
     */
    private void applyMarks(Connection c, long contactId, List<ReadMark> marks, String table) throws SQLException {
        for (ReadMark mark : marks) {
            Long newSeq = receivedSeq(c, contactId, mark.deviceTag(), mark.messageId());
            MessageId current = null;
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT message_id FROM " + table + " WHERE contact_id = ? AND device_tag = ?")) {
                p.setLong(1, contactId);
                p.setInt(2, mark.deviceTag());
                try (ResultSet rs = p.executeQuery()) {
                    if (rs.next()) {
                        current = MessageId.of(rs.getBytes(1));
                    }
                }
            }
            if (current != null && newSeq != null) {
                Long currentSeq = receivedSeq(c, contactId, mark.deviceTag(), current);
                if (currentSeq != null && currentSeq > newSeq) {
                    continue; // never move a mark back
                }
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO " + table + " (contact_id, device_tag, message_id, "
                    + "updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (contact_id, device_tag) DO UPDATE SET "
                    + "message_id = excluded.message_id, updated_at = excluded.updated_at")) {
                p.setLong(1, contactId);
                p.setInt(2, mark.deviceTag());
                p.setBytes(3, mark.messageId().bytes());
                p.setLong(4, db.now().toEpochMilli());
                p.executeUpdate();
            }
            if (newSeq != null && table.equals("read_marks")) {
                try (PreparedStatement p = c.prepareStatement("UPDATE received SET is_read = 1 WHERE contact_id = ? "
                        + "AND device_tag = ? AND seq <= ? AND is_read = 0")) {
                    p.setLong(1, contactId);
                    p.setInt(2, mark.deviceTag());
                    p.setLong(3, newSeq);
                    p.executeUpdate();
                }
            }
        }
    }

    private static Long receivedSeq(Connection c, long contactId, int deviceTag, MessageId id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT seq FROM received WHERE contact_id = ? AND device_tag = ? AND message_id = ?")) {
            p.setLong(1, contactId);
            p.setInt(2, deviceTag);
            p.setBytes(3, id.bytes());
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static long lastRowId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT last_insert_rowid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
