package dev.scout.app;

import dev.scout.core.message.MessageId;
import java.time.Instant;

/**
 * A recorded incoming message.
 *
 * @param seq local order of recording (increasing; callers record each device's messages oldest first)
 * @param contact the contact's name
 * @param deviceTag the sending device's tag
 * @param id the message blob's id
 * @param text the text
 * @param sentAt the sender's timestamp
 * @param receivedAt when this installation recorded it
 * @param read whether a read mark for its device has reached it
 */
public record ReceivedMessage(long seq, String contact, int deviceTag, MessageId id, String text, Instant sentAt,
                              Instant receivedAt, boolean read) {
}
