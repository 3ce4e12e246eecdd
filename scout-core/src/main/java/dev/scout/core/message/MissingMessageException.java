package dev.scout.core.message;

import dev.scout.dht.ScoutException;
import java.util.List;

/**
 * A walk of a message list reached an id that no DHT node could return: the message was
 * never stored, expired, or has not spread yet. The messages read before it are kept.
 *
 * <pre>{@code
 * messages.walk(head, lastRead, 100).exceptionally(e -> {
 *     if (e.getCause() instanceof MissingMessageException gap) {
 *         show(gap.read());           // newest first, up to the gap
 *         log.warn("message {} is missing", gap.missing());
 *     }
 *     return List.of();
 * });
 * }</pre>
 */
public class MissingMessageException extends ScoutException {

    private static final long serialVersionUID = 1L;

    private final transient MessageId missing;
    private final transient List<StoredMessage> read;

    /**
     * Creates the exception.
     *
     * @param missing the message no node returned
     * @param read the messages read before the gap, newest first
     */
    public MissingMessageException(MessageId missing, List<StoredMessage> read) {
        super("message " + missing + " is not in the DHT (" + read.size() + " newer message"
                + (read.size() == 1 ? " was" : "s were") + " read before it)");
        this.missing = missing;
        this.read = List.copyOf(read);
    }

    /** {@return the id that could not be found} */
    public MessageId missing() {
        return missing;
    }

    /** {@return how many messages were read before the gap} */
    public int readCount() {
        return read.size();
    }

    /** {@return the messages read before the gap, newest first} */
    public List<StoredMessage> read() {
        return read;
    }
}
