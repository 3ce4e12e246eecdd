package dev.scout.app;

import dev.scout.core.message.MessageId;
import java.util.Objects;

/**
 * The newest message this device has read from one of a contact's devices (what travels in the
 * kind-3 entry of the record).
 *
 * @param deviceTag the contact device's tag
 * @param messageId the newest message read from it
 */
public record ReadMark(int deviceTag, MessageId messageId) {
    /**
     * Rejects a {@code null} id and tags that are not 23-bit values.
     *
     * @param deviceTag 0 to {@link DeviceTags#MAX}
     * @param messageId not {@code null}
     * @throws IllegalArgumentException if the tag is out of range
     */
    public ReadMark {
        DeviceTags.requireValid(deviceTag);
        Objects.requireNonNull(messageId, "messageId");
    }
}
