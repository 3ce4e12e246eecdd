package dev.scout.sqlite;

import dev.scout.core.message.MessageId;

import java.time.Instant;

/**
 * Which received messages to list. Immutable; start from {@link #all()} and narrow.
 *
 * <pre>{@code
 * store.received(ReceivedQuery.all().contact("alice").unreadOnly());
 * }</pre>
 *
 * @param contact only this contact's messages, or {@code null} for every contact
 * @param onlyUnread only messages no read mark has reached
 * @param since only messages recorded at or after this instant, or {@code null}
 * @param messageId only the message with this id, or {@code null}
 * @param afterSeq only messages recorded after the one with this sequence number (0: from the first)
 * @param limit at most this many (0: no limit)
 */
public record ReceivedQuery(String contact, boolean onlyUnread, Instant since, MessageId messageId, long afterSeq,
                            int limit) {

    /** Every received message. */
    public static ReceivedQuery all() {
        return new ReceivedQuery(null, false, null, null, 0, 0);
    }

    /** Only {@code name}'s messages. */
    public ReceivedQuery contact(String name) {
        return new ReceivedQuery(name, onlyUnread, since, messageId, afterSeq, limit);
    }

    /** Only unread messages. */
    public ReceivedQuery unreadOnly() {
        return new ReceivedQuery(contact, true, since, messageId, afterSeq, limit);
    }

    /** Only messages recorded at or after {@code instant}. */
    public ReceivedQuery since(Instant instant) {
        return new ReceivedQuery(contact, onlyUnread, instant, messageId, afterSeq, limit);
    }

    /** Only the message {@code id}. */
    public ReceivedQuery id(MessageId id) {
        return new ReceivedQuery(contact, onlyUnread, since, id, afterSeq, limit);
    }

    /** A page: at most {@code max} messages recorded after sequence number {@code seq}. */
    public ReceivedQuery page(long seq, int max) {
        return new ReceivedQuery(contact, onlyUnread, since, messageId, seq, max);
    }
}
