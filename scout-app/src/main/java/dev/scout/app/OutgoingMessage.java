package dev.scout.app;

import dev.scout.core.message.MessageId;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A message this device sent to a contact: one link of its outgoing list.
 *
 * @param contact the contact's name
 * @param id SHA-1 of {@code value}: the DHT target
 * @param next the older message it links to ({@link MessageId#END} for the first)
 * @param value the DHT value (the bencoded blob), copied in and out
 * @param createdAt when it was recorded
 * @param delivered whether the contact's read mark has reached it (it is then no longer re-stored)
 */
public record OutgoingMessage(String contact, MessageId id, MessageId next, byte[] value, Instant createdAt,
                              boolean delivered) {

    /**
     * Rejects nulls.
     *
     * @param contact not {@code null}
     * @param id not {@code null}
     * @param next not {@code null} ({@link MessageId#END} for the first message)
     * @param value not {@code null}; copied
     * @param createdAt not {@code null}
     * @param delivered whether the contact has read it
     */
    public OutgoingMessage {
        Objects.requireNonNull(contact, "contact");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(createdAt, "createdAt");
        value = Objects.requireNonNull(value, "value").clone();
    }

    /** {@return the DHT value (a copy)} */
    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutgoingMessage m && contact.equals(m.contact) && id.equals(m.id) && next.equals(m.next)
                && Arrays.equals(value, m.value) && createdAt.equals(m.createdAt) && delivered == m.delivered;
    }

    @Override
    public int hashCode() {
        return Objects.hash(contact, id, next, createdAt, delivered) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "OutgoingMessage[contact=" + contact + ", id=" + id + ", next=" + next + ", value=" + value.length
                + " bytes, createdAt=" + createdAt + ", delivered=" + delivered + "]";
    }
}
