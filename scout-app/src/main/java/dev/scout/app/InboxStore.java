package dev.scout.app;

import java.util.List;

/** Messages received and how far each contact device's list has been read (docs/app-format.md, kind 3). */
public interface InboxStore {
    /** The contact's read marks, by device tag. */
    List<ReadMark> readMarks(String contact);

    /**
     * Records the messages not recorded yet (each device's oldest first) and applies {@code marks}, in
     * one transaction; returns the messages that were new.
     */
    List<ReceivedMessage> addReceived(String contact, List<IncomingMessage> messages, List<ReadMark> marks);
}
