package dev.scout.core.message;

import dev.scout.dht.FormatException;
import dev.scout.dht.LimitExceededException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One offline message as stored in the DHT, linked to the previous one:
 * <pre>
 * blob: next(20) | length u16 | offset u8 | (offset bytes skipped) | message
 * </pre>
 * Its DHT value is the bencoded byte string {@code <len>:<blob>}, and its id is SHA-1
 * of that value. The message is at most {@value #MAX_MESSAGE_BYTES} bytes so the value
 * stays within the DHT's 1000-byte limit. Readers skip {@code offset} bytes and ignore
 * anything after the message, leaving room for later versions.
 *
 * <pre>{@code
 * MessageBlob blob = new MessageBlob(MessageId.END, sealedBody);
 * byte[] value = blob.bencodedValue();     // what gets stored
 * MessageId id = blob.id();                // where it is stored
 * MessageBlob back = MessageBlob.parseBencodedValue(value);
 * }</pre>
 *
 * @param next id of the next (older) message, {@link MessageId#END} for the last one
 * @param message the message bytes (copied in and out)
 */
public record MessageBlob(MessageId next, byte[] message) {

    /** Largest message: 1000 − "996:" − next(20) − length(2) − offset(1). */
    public static final int MAX_MESSAGE_BYTES = 973;

    private static final int HEADER_BYTES = MessageId.BYTES + 3;

    /**
     * @throws LimitExceededException if the message is longer than {@value #MAX_MESSAGE_BYTES} bytes
     *
     * @param next the next (older) message
     * @param message the message
     */
    public MessageBlob {
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(message, "message");
        if (message.length > MAX_MESSAGE_BYTES) {
            throw new LimitExceededException("message is " + message.length + " bytes, at most "
                    + MAX_MESSAGE_BYTES + " allowed");
        }
        message = message.clone();
    }

    /** {@return the message bytes (a copy)} */
    @Override
    public byte[] message() {
        return message.clone();
    }

    /** {@return the raw blob bytes} */
    public byte[] encode() {
        byte[] out = new byte[HEADER_BYTES + message.length];
        next.copyTo(out, 0);
        out[MessageId.BYTES] = (byte) (message.length >>> 8);
        out[MessageId.BYTES + 1] = (byte) message.length;
        out[MessageId.BYTES + 2] = 0;
        System.arraycopy(message, 0, out, HEADER_BYTES, message.length);
        return out;
    }

    /** {@return the DHT value: the blob as a bencoded byte string} */
    public byte[] bencodedValue() {
        return bencode(encode());
    }

    /**
     * This blob's id: SHA-1 of {@link #bencodedValue()}.
     *
     * @return this blob's id: SHA-1 of {@link #bencodedValue()}
     */
    public MessageId id() {
        return MessageId.ofValue(bencodedValue());
    }

    /**
     * Parses raw blob bytes.
     *
     * @throws FormatException if the blob is truncated or its lengths are inconsistent
     * @param blob the blob
     * @return the message blob
     */
    public static MessageBlob parse(byte[] blob) {
        if (blob.length < HEADER_BYTES) {
            throw new FormatException("message blob truncated: " + blob.length
                    + " bytes, header alone is " + HEADER_BYTES);
        }
        MessageId next = MessageId.of(Arrays.copyOf(blob, MessageId.BYTES));
        int length = ((blob[MessageId.BYTES] & 0xFF) << 8) | (blob[MessageId.BYTES + 1] & 0xFF);
        int offset = blob[MessageId.BYTES + 2] & 0xFF;
        if (length > MAX_MESSAGE_BYTES) {
            throw new FormatException("message blob claims " + length + " message bytes, at most "
                    + MAX_MESSAGE_BYTES + " allowed");
        }
        int start = HEADER_BYTES + offset;
        if (blob.length - start < length) {
            throw new FormatException("message blob truncated: needs " + (start + length)
                    + " bytes, has " + blob.length);
        }
        return new MessageBlob(next, Arrays.copyOfRange(blob, start, start + length));
    }

    /**
     * Parses a DHT value {@code <len>:<blob>}.
     *
     * @throws FormatException if it is not exactly one bencoded byte string holding a valid blob
     * @param value the value
     * @return the message blob
     */
    public static MessageBlob parseBencodedValue(byte[] value) {
        int colon = -1;
        // A 1000-byte value needs at most 4 length digits; stop early on garbage.
        for (int i = 0; i < Math.min(value.length, 6); i++) {
            if (value[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= 0) {
            throw new FormatException("message value is not a bencoded byte string (no length prefix)");
        }
        String digits = new String(value, 0, colon, StandardCharsets.US_ASCII);
        if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')
                || (digits.length() > 1 && digits.charAt(0) == '0')) {
            throw new FormatException("message value has an invalid bencoded length '" + digits + "'");
        }
        int length = Integer.parseInt(digits);
        if (length != value.length - colon - 1) {
            throw new FormatException("message value declares " + length + " bytes but carries "
                    + (value.length - colon - 1));
        }
        return parse(Arrays.copyOfRange(value, colon + 1, value.length));
    }

    static byte[] bencode(byte[] bytes) {
        byte[] prefix = (bytes.length + ":").getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(prefix, prefix.length + bytes.length);
        System.arraycopy(bytes, 0, out, prefix.length, bytes.length);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageBlob b && next.equals(b.next) && Arrays.equals(message, b.message);
    }

    @Override
    public int hashCode() {
        return 31 * next.hashCode() + Arrays.hashCode(message);
    }

    @Override
    public String toString() {
        return "MessageBlob[next=" + next + ", message=" + message.length + " bytes]";
    }
}
