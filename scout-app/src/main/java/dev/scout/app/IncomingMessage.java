package dev.scout.app;

import dev.scout.core.message.MessageId;
import java.time.Instant;
import java.util.Objects;

/**
 * A message opened from one of a contact's device lists, ready to be recorded.
 *
 * @param deviceTag the sending device's 23-bit tag
 * @param id the message blob's id
 * @param text the opened text
 * @param sentAt the sender's timestamp from the plaintext
 */
public record IncomingMessage(int deviceTag, MessageId id, String text, Instant sentAt) {
    /**
     * Rejects nulls and tags that are not 23-bit values.
     *
     * @param deviceTag 0 to {@link DeviceTags#MAX}
     * @param id not {@code null}
     * @param text not {@code null}
     * @param sentAt not {@code null}
     * @throws IllegalArgumentException if the tag is out of range
     */
    public IncomingMessage {
        DeviceTags.requireValid(deviceTag);
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(sentAt, "sentAt");
    }
}
