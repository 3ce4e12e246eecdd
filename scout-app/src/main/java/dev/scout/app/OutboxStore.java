package dev.scout.app;

import dev.scout.core.message.MessageId;

import java.util.List;

/** This device's outgoing message list per contact (docs/app-format.md, kind 2). */
public interface OutboxStore {
    /**
     * {@return the id of the newest message sent to the contact, {@link MessageId#END} if none}
     *
     * @param contact the contact's name
     */
    MessageId outboxHead(String contact);

    /**
     * Chains {@code sealed} onto the contact's list, records it and moves the head to it, in one
     * transaction (concurrent senders never link to the same predecessor).
     *
     * @param contact the contact's name
     * @param sealed the sealed message (see {@link dev.scout.core.message.MessageSeal})
     * @return the recorded message, its {@code next} the previous head
     */
    OutgoingMessage pushOutgoing(String contact, byte[] sealed);

    /**
     * Records that at least one DHT node stored the message (a receipt the user can see).
     *
     * @param contact the contact's name
     * @param id the message
     */
    void markStored(String contact, MessageId id);

    /** {@return the messages to every contact that the contact has not read yet, oldest first} */
    List<OutgoingMessage> undelivered();

    /**
     * Marks {@code upTo} and every older message to the contact delivered.
     *
     * @param contact the contact's name
     * @param upTo the newest message the contact has read
     * @return how many messages changed
     */
    int markDelivered(String contact, MessageId upTo);
}
