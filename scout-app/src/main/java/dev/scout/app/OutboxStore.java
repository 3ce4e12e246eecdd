package dev.scout.app;

import dev.scout.core.message.MessageId;

import java.util.List;

/** This device's outgoing message list per contact (docs/app-format.md, kind 2). */
public interface OutboxStore {
    /** The id of the newest message sent to the contact, {@link MessageId#END} if none. */
    MessageId outboxHead(String contact);

    /**
     * Chains {@code sealed} onto the contact's list, records it and moves the head to it, in one
     * transaction (concurrent senders never link to the same predecessor).
     */
    OutgoingMessage pushOutgoing(String contact, byte[] sealed);

    /** Messages to every contact that the contact has not read yet, oldest first. */
    List<OutgoingMessage> undelivered();

    /** Marks {@code upTo} and every older message to the contact delivered; returns how many changed. */
    int markDelivered(String contact, MessageId upTo);
}
