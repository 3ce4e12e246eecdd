package dev.scout.app;

import java.util.List;

/** Messages received and how far each contact device's list has been read (docs/app-format.md, kind 3). */
public interface InboxStore {
    /**
     * {@return the contact's read marks, by device tag}
     *
     * @param contact the contact's name
     */
    List<ReadMark> readMarks(String contact);

    /**
     * Records the messages not recorded yet (each device's oldest first) and applies {@code marks}, in
     * one transaction.
     *
     * @param contact the contact's name
     * @param messages the messages opened from the contact's device lists
     * @param marks the read marks to store, one per contact device
     * @return the messages that were new
     */
    List<ReceivedMessage> addReceived(String contact, List<IncomingMessage> messages, List<ReadMark> marks);
}
