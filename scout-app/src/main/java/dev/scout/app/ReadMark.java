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
    public ReadMark {
        DeviceTags.requireValid(deviceTag);
        Objects.requireNonNull(messageId, "messageId");
    }
}
