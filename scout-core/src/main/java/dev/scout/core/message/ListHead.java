package dev.scout.core.message;

import dev.scout.dht.LimitExceededException;
import java.util.Objects;

/**
 * The head of a sender's linked list of offline messages. Each new message links to
 * the previous head, so a reader who knows the head can walk back to every message.
 * Mutable because it tracks the list as it grows; thread-safe so concurrent sends
 * cannot both link to the same predecessor.
 *
 * <pre>{@code
 * ListHead head = new ListHead();                    // empty list: all zeros
 * ListToken first = head.pushFront(sealed1);
 * ListToken second = head.pushFront(sealed2);        // second.next() equals first.id()
 * persist(head.head());
 * }</pre>
 */
public final class ListHead {

    private MessageId head;

    /** An empty list. */
    public ListHead() {
        this(MessageId.END);
    }

    /**
     * A list whose newest message has id {@code head} (e.g. restored from storage).
     *
     * @param head the newest message
     */
    public ListHead(MessageId head) {
        this.head = Objects.requireNonNull(head, "head");
    }

    /**
     * Id of the newest message, or {@link MessageId#END} if none.
     *
     * @return the message id
     */
    public synchronized MessageId head() {
        return head;
    }

    /** {@return whether no message has been pushed} */
    public synchronized boolean isEmpty() {
        return head.isEnd();
    }

    /**
     * Builds the blob for {@code message} linked to the current head and makes it the new head.
     *
     * @throws LimitExceededException if the message is longer than {@value MessageBlob#MAX_MESSAGE_BYTES} bytes
     *     (the head is then unchanged)
     * @param message the message
     * @return the list token
     */
    public synchronized ListToken pushFront(byte[] message) {
        MessageBlob blob = new MessageBlob(head, message);
        ListToken token = new ListToken(blob.encode(), blob.id(), head);
        head = token.id();
        return token;
    }

    @Override
    public synchronized String toString() {
        return "ListHead[" + head + "]";
    }
}
