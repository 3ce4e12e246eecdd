package dev.scout.sqlite;

import dev.scout.sqlite.db.ContactRepository;
import dev.scout.sqlite.db.Database;
import dev.scout.sqlite.db.OutboxRepository;
import dev.scout.app.OutgoingMessage;
import dev.scout.core.message.MessageId;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Sent messages as the user sees them: in sending order, with where each one got to (recorded here, stored
 * by a DHT node, read by the contact). {@link OutboxRepository} keeps the list itself.
 */
public final class SentRepository {
    /** A sent message with its local sequence number and delivery state. */
    public record SentMessage(long seq, OutgoingMessage message, boolean stored) {
    }

    private final Database db;

    SentRepository(Database db) {
        this.db = db;
    }

    /**
     * Sent messages in sending order: to {@code contact} (every contact when null), only {@code id} when
     * not null, after local sequence number {@code afterSeq}, at most {@code limit}.
     */
    public synchronized List<SentMessage> page(String contact, MessageId id, long afterSeq, int limit) {
        return db.read("list sent messages", c -> {
            StringBuilder sql = new StringBuilder("SELECT o.seq, c.name, o.message_id, o.next_id, o.value, o.created_at, "
                    + "o.delivered, o.stored FROM outgoing o JOIN contacts c ON c.id = o.contact_id WHERE o.seq > ?");
            List<Object> args = new ArrayList<>(List.of(afterSeq));
            if (contact != null) {
                sql.append(" AND o.contact_id = ?");
                args.add(ContactRepository.contactId(c, contact));
            }
            if (id != null) {
                sql.append(" AND o.message_id = ?");
                args.add(id.bytes());
            }
            sql.append(" ORDER BY o.seq LIMIT ?");
            args.add(limit);
            List<SentMessage> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    p.setObject(i + 1, args.get(i));
                }
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.add(new SentMessage(rs.getLong(1), new OutgoingMessage(rs.getString(2),
                                MessageId.of(rs.getBytes(3)), MessageId.of(rs.getBytes(4)), rs.getBytes(5),
                                Instant.ofEpochMilli(rs.getLong(6)), rs.getInt(7) != 0), rs.getInt(8) != 0));
                    }
                }
            }
            return out;
        });
    }

    /** Records that a DHT node stored the message (idempotent). */
    public synchronized void markStored(String contact, MessageId id) {
        db.write("mark a message stored", c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE outgoing SET stored = 1 WHERE contact_id = ? AND message_id = ? AND stored = 0")) {
                p.setLong(1, ContactRepository.contactId(c, contact));
                p.setBytes(2, id.bytes());
                p.executeUpdate();
            }
            return null;
        });
    }
}
