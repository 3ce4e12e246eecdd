package dev.scout.sqlite;

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
 */
public record ReceivedQuery(String contact, boolean onlyUnread, Instant since) {

    /** Every received message. */
    public static ReceivedQuery all() {
        return new ReceivedQuery(null, false, null);
    }

    /** Only {@code name}'s messages. */
    public ReceivedQuery contact(String name) {
        return new ReceivedQuery(name, onlyUnread, since);
    }

    /** Only unread messages. */
    public ReceivedQuery unreadOnly() {
        return new ReceivedQuery(contact, true, since);
    }

    /** Only messages recorded at or after {@code instant}. */
    public ReceivedQuery since(Instant instant) {
        return new ReceivedQuery(contact, onlyUnread, instant);
    }
}
