package dev.scout.core.message;

import java.util.Arrays;
import java.util.Objects;

/**
 * One message read back from the DHT.
 *
 * <pre>{@code
 * StoredMessage m = messages.get(id).join().orElseThrow();
 * byte[] body = MessageSeal.open(keys, m.message());
 * MessageId older = m.next();
 * }</pre>
 *
 * @param id its id (the immutable item's target)
 * @param message the message bytes (copied in and out)
 * @param next the next (older) message, {@link MessageId#END} for the oldest
 */
public record StoredMessage(MessageId id, byte[] message, MessageId next) {

    /**
     * Copies {@code message}.
     *
     * @param id its id (the immutable item's target)
     * @param message the message bytes (copied in and out)
     * @param next the next (older) message, {@link MessageId#END} for the oldest
     */
    public StoredMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(next, "next");
        message = message.clone();
    }

    /** {@return the sealed message (a copy)} */
    @Override
    public byte[] message() {
        return message.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredMessage m && id.equals(m.id) && next.equals(m.next)
                && Arrays.equals(message, m.message);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "StoredMessage[id=" + id + ", next=" + next + ", message=" + message.length + " bytes]";
    }
}
