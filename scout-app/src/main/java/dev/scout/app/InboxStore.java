package dev.scout.app;

import java.util.List;

/**
 * Messages received, how far each contact device's list has been fetched, and how far the user has read
 * it (docs/app-format.md, kind 3). Fetching and reading are separate: a daemon fetches as messages come,
 * the user reads when they look; only read marks are published to the contact.
 */
public interface InboxStore {
    /**
     * {@return the contact's read marks (what the user has read), by device tag; these are published}
     *
     * @param contact the contact's name
     */
    List<ReadMark> readMarks(String contact);

    /**
     * {@return how far each contact device's list has been fetched, by device tag; an inbox walk stops there}
     *
     * @param contact the contact's name
     */
    List<ReadMark> fetchMarks(String contact);

    /**
     * Records the messages not recorded yet (each device's oldest first), unread, and moves the fetch
     * marks to {@code marks}, in one transaction.
     *
     * @param contact the contact's name
     * @param messages the messages opened from the contact's device lists
     * @param marks the fetch marks to store, one per contact device
     * @return the messages that were new
     */
    List<ReceivedMessage> addReceived(String contact, List<IncomingMessage> messages, List<ReadMark> marks);

    /**
     * Moves the read marks (never back) and marks every recorded message up to them read.
     *
     * @param contact the contact's name
     * @param marks the new read marks, one per contact device at most
     */
    void markRead(String contact, List<ReadMark> marks);
}
