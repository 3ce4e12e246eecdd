package dev.scout.sqlite.db;

import dev.scout.sqlite.text.UserText;
import dev.scout.sqlite.error.StateException;
import dev.scout.sqlite.error.UnknownContactException;
import dev.scout.app.OutgoingMessage;
import dev.scout.core.message.ListHead;
import dev.scout.core.message.ListToken;
import dev.scout.core.message.MessageId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Outgoing messages per contact: the chained list, its head and delivery state. */
public final class OutboxRepository {
    private final Database db;

    public OutboxRepository(Database db) {
        this.db = db;
    }

    /** The id of the newest message sent to the contact, {@link MessageId#END} if none. */
    public synchronized MessageId outboxHead(String contact) {
        return db.read("read the outbox head", c -> head(c, ContactRepository.contactId(c, contact)));
    }

    /**
     * Chains {@code message} (the sealed body) onto the contact's outgoing list, records it and moves
     * the head to it — one transaction, so concurrent senders (even in other processes) never link to
     * the same predecessor. Store {@link OutgoingMessage#value()} in the DHT afterwards; until it is
     * delivered, {@link #undelivered()} keeps listing it for re-storing.
     *
     * @throws dev.scout.dht.LimitExceededException if the message is longer than a blob can carry
     * @throws UnknownContactException if there is no such contact
     */
    public synchronized OutgoingMessage pushOutgoing(String contact, byte[] message) {
        Objects.requireNonNull(message, "message");
        return db.write("record a sent message", c -> {
            ContactRepository.ContactRef ref = ContactRepository.contactRef(c, contact);
            ListToken token = new ListHead(head(c, ref.id())).pushFront(message);
            return insertOutgoing(c, ref, token.id(), token.next(), token.value());
        });
    }

    /**
     * Records a message chained by the caller and moves the head to it, in one transaction. The token
     * must link to the current head (compare-and-set).
     *
     * @throws StateException if {@code token.next()} is not the current head (another sender moved it;
     *     chain again from {@link #outboxHead}) or its id does not match its value
     */
    public synchronized OutgoingMessage recordSent(String contact, ListToken token) {
        Objects.requireNonNull(token, "token");
        byte[] value = token.value();
        if (!MessageId.ofValue(value).equals(token.id())) {
            throw new IllegalArgumentException("token id " + token.id() + " is not the SHA-1 of its value");
        }
        return db.write("record a sent message", c -> {
            ContactRepository.ContactRef ref = ContactRepository.contactRef(c, contact);
            MessageId head = head(c, ref.id());
            if (!head.equals(token.next())) {
                throw new StateException("the outbox of " + UserText.display(ref.name()) + " moved: its head is " + head
                        + " but the message links to " + token.next() + "; chain the message again");
            }
            return insertOutgoing(c, ref, token.id(), token.next(), value);
        });
    }

    private OutgoingMessage insertOutgoing(Connection c, ContactRepository.ContactRef ref, MessageId id, MessageId next, byte[] value)
            throws SQLException {
        Instant now = db.now();
        try (PreparedStatement p = c.prepareStatement("INSERT INTO outgoing (contact_id, message_id, next_id, value, "
                + "created_at, delivered) VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT (contact_id, message_id) DO NOTHING")) {
            p.setLong(1, ref.id());
            p.setBytes(2, id.bytes());
            p.setBytes(3, next.bytes());
            p.setBytes(4, value);
            p.setLong(5, now.toEpochMilli());
            if (p.executeUpdate() == 0) {
                throw new StateException("message " + id + " to " + UserText.display(ref.name()) + " was already recorded");
            }
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO outbox_heads (contact_id, head) VALUES (?, ?) "
                + "ON CONFLICT (contact_id) DO UPDATE SET head = excluded.head")) {
            p.setLong(1, ref.id());
            p.setBytes(2, id.bytes());
            p.executeUpdate();
        }
        return new OutgoingMessage(ref.name(), id, next, value, now, false);
    }

    private static MessageId head(Connection c, long contactId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT head FROM outbox_heads WHERE contact_id = ?")) {
            p.setLong(1, contactId);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? MessageId.of(rs.getBytes(1)) : MessageId.END;
            }
        }
    }

    private static final String OUTGOING_COLUMNS =
            "SELECT c.name, o.message_id, o.next_id, o.value, o.created_at, o.delivered "
                    + "FROM outgoing o JOIN contacts c ON c.id = o.contact_id ";

    /** Every message sent to the contact, newest first. */
    public synchronized List<OutgoingMessage> outgoing(String contact) {
        return db.read("list sent messages", c -> {
            long id = ContactRepository.contactId(c, contact);
            return queryOutgoing(c, OUTGOING_COLUMNS + "WHERE o.contact_id = ? ORDER BY o.seq DESC", id);
        });
    }

    /** Undelivered messages to every contact, oldest first: what the daemon re-stores. */
    public synchronized List<OutgoingMessage> undelivered() {
        return db.read("list undelivered messages",
                c -> queryOutgoing(c, OUTGOING_COLUMNS + "WHERE o.delivered = 0 ORDER BY o.seq"));
    }

    /** Undelivered messages to the contact, oldest first. */
    public synchronized List<OutgoingMessage> undelivered(String contact) {
        return db.read("list undelivered messages", c -> {
            long id = ContactRepository.contactId(c, contact);
            return queryOutgoing(c, OUTGOING_COLUMNS + "WHERE o.contact_id = ? AND o.delivered = 0 ORDER BY o.seq", id);
        });
    }

    private static List<OutgoingMessage> queryOutgoing(Connection c, String sql, Object... args) throws SQLException {
        List<OutgoingMessage> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new OutgoingMessage(rs.getString(1), MessageId.of(rs.getBytes(2)),
                            MessageId.of(rs.getBytes(3)), rs.getBytes(4), Instant.ofEpochMilli(rs.getLong(5)),
                            rs.getInt(6) != 0));
                }
            }
        }
        return out;
    }

    /**
     * Marks {@code upTo} and every older message of the contact's chain delivered (the contact's read
     * mark for this device reached it), walking the next pointers down. Stops at the end of the chain,
     * at an id this device never sent, or at a message already delivered (everything older is then
     * delivered too). Returns how many messages became delivered.
     */
    public synchronized int markDelivered(String contact, MessageId upTo) {
        Objects.requireNonNull(upTo, "upTo");
        return db.write("mark messages delivered", c -> {
            long id = ContactRepository.contactId(c, contact);
            int count = 0;
            MessageId current = upTo;
            try (PreparedStatement find = c.prepareStatement(
                    "SELECT next_id, delivered FROM outgoing WHERE contact_id = ? AND message_id = ?");
                 PreparedStatement mark = c.prepareStatement(
                         "UPDATE outgoing SET delivered = 1 WHERE contact_id = ? AND message_id = ?")) {
                while (!current.isEnd()) {
                    find.setLong(1, id);
                    find.setBytes(2, current.bytes());
                    MessageId next;
                    try (ResultSet rs = find.executeQuery()) {
                        if (!rs.next() || rs.getInt(2) != 0) {
                            break;
                        }
                        next = MessageId.of(rs.getBytes(1));
                    }
                    mark.setLong(1, id);
                    mark.setBytes(2, current.bytes());
                    mark.executeUpdate();
                    count++;
                    current = next; // a cycle would need a SHA-1 collision; marking delivered ends it anyway
                }
            }
            return count;
        });
    }
}
