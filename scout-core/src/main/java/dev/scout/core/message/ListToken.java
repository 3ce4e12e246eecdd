package dev.scout.core.message;

import java.util.Arrays;
import java.util.Objects;

/**
 * What {@link ListHead#pushFront} produced: a blob ready to be stored, its id (the
 * DHT target) and the previous head it links to.
 *
 * <pre>{@code
 * ListToken token = head.pushFront(sealedBody);
 * dht.putImmutable(token.value());    // stored under token.id()
 * }</pre>
 *
 * @param blob the raw blob bytes (copied in and out)
 * @param id SHA-1 of the bencoded blob
 * @param next the head before this push
 */
public record ListToken(byte[] blob, MessageId id, MessageId next) {

    /**
     * Copies {@code value}.
     *
     * @param blob the raw blob bytes (copied in and out)
     * @param id SHA-1 of the bencoded blob
     * @param next the head before this push
     */
    public ListToken {
        Objects.requireNonNull(blob, "blob");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(next, "next");
        blob = blob.clone();
    }

    /** {@return the raw blob bytes (a copy)} */
    @Override
    public byte[] blob() {
        return blob.clone();
    }

    /** {@return the DHT value: the blob as a bencoded byte string} */
    public byte[] value() {
        return MessageBlob.bencode(blob);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ListToken t && id.equals(t.id) && next.equals(t.next) && Arrays.equals(blob, t.blob);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, next);
    }

    @Override
    public String toString() {
        return "ListToken[id=" + id + ", next=" + next + ", blob=" + blob.length + " bytes]";
    }
}
