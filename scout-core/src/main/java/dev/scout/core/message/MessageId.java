package dev.scout.core.message;

import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.util.encoders.Hex;

/**
 * The 20-byte id of an offline message blob: SHA-1 of its bencoded DHT value, which is
 * also its BEP 44 immutable-item target. All zeros ({@link #END}) marks the end of a list.
 *
 * <pre>{@code
 * MessageId id = MessageId.ofValue(bencodedValue);
 * if (!next.isEnd()) { fetch(next); }
 * }</pre>
 */
public final class MessageId {

    /** Length of an id in bytes. */
    public static final int BYTES = 20;
    /** The all-zero id: "no further message". */
    public static final MessageId END = new MessageId(new byte[BYTES]);

    private final byte[] id;

    private MessageId(byte[] id) {
        this.id = id;
    }

    /**
     * Wraps 20 bytes (copied).
     *
     * @param bytes the bytes
     * @return the message id
     */
    public static MessageId of(byte[] bytes) {
        if (bytes == null || bytes.length != BYTES) {
            throw new IllegalArgumentException("message id must be " + BYTES + " bytes");
        }
        return new MessageId(bytes.clone());
    }

    /**
     * SHA-1 of a DHT value (the bencoded blob), as BEP 44 computes immutable targets.
     *
     * @param bencodedValue the bencoded value
     * @return the message id
     */
    public static MessageId ofValue(byte[] bencodedValue) {
        SHA1Digest sha1 = new SHA1Digest();
        sha1.update(bencodedValue, 0, bencodedValue.length);
        byte[] out = new byte[BYTES];
        sha1.doFinal(out, 0);
        return new MessageId(out);
    }

    /** {@return whether this is the end-of-list marker} */
    public boolean isEnd() {
        return equals(END);
    }

    /** {@return the id bytes (a copy)} */
    public byte[] bytes() {
        return id.clone();
    }

    /**
     * Lower-case hex, 40 digits.
     *
     * @return the 40-digit lower-case hex form
     */
    public String toHex() {
        return Hex.toHexString(id);
    }

    void copyTo(byte[] out, int offset) {
        System.arraycopy(id, 0, out, offset, BYTES);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageId other && Arrays.equals(id, other.id);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(id);
    }

    @Override
    public String toString() {
        return toHex();
    }
}
