package dev.scout.app;

import dev.scout.core.RecordEntry;
import dev.scout.dht.Ed25519PublicKey;
import dev.scout.core.message.MessageId;
import dev.scout.core.message.MessageSeal;
import dev.scout.dht.Addresses;
import dev.scout.dht.bencode.Bencode;
import dev.scout.dht.bencode.BencodeException;
import dev.scout.dht.bencode.BencodeLimits;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The {@code scout} application's use of contact-record entries (docs/app-format.md): entry ids made of
 * side, device tag and kind, and the content of each kind. Parsing is lenient (a malformed entry from the
 * other side is skipped, never fatal); encoding respects the 255-byte content limit.
 */
public final class AppEntries {
    /** A device: its tag, name and addresses ({@link #encodeDevice}). */
    public static final int KIND_DEVICE = 1;
    /** The head of a device's outbox: the newest message id it sent ({@link #encodeHead}). */
    public static final int KIND_OUTBOX_HEAD = 2;
    /** Read marks: how far a device has read each of the other side's outboxes ({@link #encodeMarks}). */
    public static final int KIND_READ_MARKS = 3;
    /** A connect intent (docs/app-format.md; content encoded by scout-session's {@code ConnectIntent}). */
    public static final int KIND_CONNECT_INTENT = 4;
    /** Reachable through a relay (docs/app-format.md; content encoded by scout-session's {@code RelayEntry}). */
    public static final int KIND_RELAY = 5;
    /** Largest device tag: 23 bits. */
    public static final int MAX_TAG = (1 << 23) - 1;
    static final int MAX_ADDRESSES = 8;
    static final int MAX_MARKS = 10;
    private static final int MAX_NAME_BYTES = 32;
    private static final BencodeLimits LIMITS = new BencodeLimits(4, 64, RecordEntry.MAX_CONTENT_BYTES);

    private AppEntries() {}

    /**
     * Which side of a shared contact record an identity writes, so both agree without talking.
     *
     * @param self this identity's key
     * @param other the contact's key
     * @return 0 if {@code self} is the smaller public key (unsigned byte order), else 1
     */
    public static int side(Ed25519PublicKey self, Ed25519PublicKey other) {
        return Arrays.compareUnsigned(self.bytes(), other.bytes()) < 0 ? 0 : 1;
    }

    /**
     * The entry id for a side, device and kind: {@code side << 31 | tag << 8 | kind}.
     *
     * @param side 0 or 1 (see {@link #side})
     * @param deviceTag the writing device's tag, 0 to {@link #MAX_TAG}
     * @param kind one of the {@code KIND_} constants (only the low 8 bits are kept)
     * @return the entry id
     * @throws IllegalArgumentException if the tag is out of range
     */
    public static long id(int side, int deviceTag, int kind) {
        if (deviceTag < 0 || deviceTag > MAX_TAG) {
            throw new IllegalArgumentException("device tag out of range: " + deviceTag);
        }
        return ((long) side << 31) | ((long) deviceTag << 8) | (kind & 0xFF);
    }

    /**
     * {@return the side (0 or 1) that wrote it}
     *
     * @param id an entry id
     */
    public static int sideOf(long id) {
        return (int) (id >>> 31) & 1;
    }

    /**
     * {@return the tag of the device that wrote it}
     *
     * @param id an entry id
     */
    public static int tagOf(long id) {
        return (int) (id >>> 8) & MAX_TAG;
    }

    /**
     * {@return its kind ({@code KIND_} constants; others are skipped by readers)}
     *
     * @param id an entry id
     */
    public static int kindOf(long id) {
        return (int) (id & 0xFF);
    }

    /**
     * What a kind-1 entry says about a device.
     *
     * @param updatedAt {@code u}: when the addresses or name last changed, Unix seconds (0 = not given)
     */
    public record Device(int tag, String name, List<InetSocketAddress> addresses, long updatedAt) {
        /**
         * Copies {@code addresses}.
         *
         * @param tag the device's tag
         * @param name the device's name, not {@code null}
         * @param addresses its addresses, not {@code null} (copied into an immutable list)
         * @param updatedAt Unix seconds, 0 if unknown
         */
        public Device {
            addresses = List.copyOf(addresses);
        }

        /**
         * Whether publishing {@code other} would change nothing a reader sees.
         *
         * @param other another description of a device
         * @return same tag, name and addresses (the encoded limits applied), whatever the update time
         */
        public boolean sameAs(Device other) {
            Device a = decodeDevice(tag, encodeDevice(this));
            Device b = decodeDevice(other.tag, encodeDevice(other));
            return a != null && b != null && a.tag == b.tag && a.name.equals(b.name) && a.addresses.equals(b.addresses);
        }
    }

    /**
     * A kind-1 entry's content. The name is cut to 32 UTF-8 bytes and at most 8 addresses are kept,
     * fewer if needed to fit {@link RecordEntry#MAX_CONTENT_BYTES}; unresolved addresses are dropped.
     *
     * @param device the device to describe
     * @return bencoded content
     */
    public static byte[] encodeDevice(Device device) {
        List<Object> addresses = new ArrayList<>();
        for (InetSocketAddress a : device.addresses()) {
            if (addresses.size() < MAX_ADDRESSES && a.getAddress() != null) {
                addresses.add(Addresses.compact(a));
            }
        }
        byte[] name = truncate(device.name().getBytes(StandardCharsets.UTF_8), MAX_NAME_BYTES);
        byte[] content = encodeDevice(addresses, name, device);
        while (content.length > RecordEntry.MAX_CONTENT_BYTES && !addresses.isEmpty()) {
            addresses.remove(addresses.size() - 1);
            content = encodeDevice(addresses, name, device);
        }
        return content;
    }

    private static byte[] encodeDevice(List<Object> addresses, byte[] name, Device device) {
        return Bencode.encode(Bencode.dict("a", addresses, "n", name, "t", (long) device.tag(), "u", device.updatedAt()));
    }

    /**
     * Reads a kind-1 entry.
     *
     * @param entry a kind-1 entry
     * @return the device it describes, or {@code null} if its content is not understood
     */
    public static Device decodeDevice(RecordEntry entry) {
        return decodeDevice(tagOf(entry.id()), entry.content());
    }

    private static Device decodeDevice(int tag, byte[] content) {
        try {
            if (!(Bencode.decode(content, LIMITS) instanceof Map<?, ?> map)) {
                return null;
            }
            List<InetSocketAddress> addresses = new ArrayList<>();
            if (map.get("a") instanceof List<?> list) {
                for (Object o : list) {
                    if (o instanceof byte[] b && (b.length == 6 || b.length == 18)) {
                        addresses.add(Addresses.fromCompact(b, 0, b.length));
                    }
                }
            }
            String name = map.get("n") instanceof byte[] n ? new String(n, StandardCharsets.UTF_8) : "";
            long updated = map.get("u") instanceof Long u && u > 0 ? u : 0;
            return new Device(tag, name, addresses, updated);
        } catch (BencodeException e) {
            return null;
        }
    }

    /**
     * {@return a kind-2 entry's content (the id's bytes)}
     *
     * @param head the newest message id in an outbox
     */
    public static byte[] encodeHead(MessageId head) {
        return head.bytes();
    }

    /**
     * Reads a kind-2 entry.
     *
     * @param entry a kind-2 entry
     * @return the outbox head it names, or {@link MessageId#END} if malformed
     */
    public static MessageId decodeHead(RecordEntry entry) {
        byte[] c = entry.content();
        return c.length == MessageId.BYTES ? MessageId.of(c) : MessageId.END;
    }

    /**
     * A kind-3 entry's content: 24 bytes per mark (4-byte tag, 20-byte message id), at most 10 marks
     * (later ones are dropped).
     *
     * @param marks the read marks, one per device of the other side
     * @return the content
     */
    public static byte[] encodeMarks(List<ReadMark> marks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = 0;
        for (ReadMark m : marks) {
            if (n++ == MAX_MARKS) {
                break;
            }
            out.writeBytes(ByteBuffer.allocate(4).putInt(m.deviceTag()).array());
            out.writeBytes(m.messageId().bytes());
        }
        return out.toByteArray();
    }

    /**
     * Reads a kind-3 entry; a trailing partial mark is ignored.
     *
     * @param entry a kind-3 entry
     * @return its read marks (possibly empty)
     */
    public static List<ReadMark> decodeMarks(RecordEntry entry) {
        byte[] c = entry.content();
        List<ReadMark> marks = new ArrayList<>();
        for (int off = 0; off + 24 <= c.length; off += 24) {
            int tag = ByteBuffer.wrap(c, off, 4).getInt();
            marks.add(new ReadMark(tag, MessageId.of(Arrays.copyOfRange(c, off + 4, off + 24))));
        }
        return marks;
    }

    private static byte[] truncate(byte[] b, int max) {
        return b.length <= max ? b : Arrays.copyOf(b, max);
    }

    /**
     * A message body, to be sealed: {@code d1:b<text>1:ti<millis>e}.
     *
     * @param text the message text (see {@link #maxTextBytes} for its limit)
     * @param sentAtMillis when it was sent, Unix milliseconds
     * @return the bencoded body
     */
    public static byte[] encodeMessage(String text, long sentAtMillis) {
        return Bencode.encode(Bencode.dict("b", text.getBytes(StandardCharsets.UTF_8), "t", sentAtMillis));
    }

    /**
     * The most UTF-8 bytes of text one message can hold when sent at {@code sentAtMillis}: the body
     * ({@link #encodeMessage}) must fit {@link MessageSeal#MAX_BODY_BYTES}, and its bencoding spends a
     * few bytes on the text's length and the timestamp.
     *
     * @param sentAtMillis when it is sent, Unix milliseconds
     * @return the limit in UTF-8 bytes
     */
    public static int maxTextBytes(long sentAtMillis) {
        int fixed = encodeMessage("", sentAtMillis).length - 1; // everything but the length's digits ("0")
        int max = MessageSeal.MAX_BODY_BYTES - fixed;
        while (max > 0 && fixed + String.valueOf(max).length() + max > MessageSeal.MAX_BODY_BYTES) {
            max--;
        }
        return max;
    }

    /** A message body as sent by {@code scout send}. */
    public record MessageBody(String text, long sentAtMillis) {
    }

    /**
     * Parses an opened message body.
     *
     * @param plaintext the opened body (over 4096 bytes, it is not a scout message)
     * @return the text and send time (0 if absent), or {@code null} if it is not a scout message
     */
    public static MessageBody decodeMessage(byte[] plaintext) {
        try {
            if (Bencode.decode(plaintext, new BencodeLimits(4, 16, 4096)) instanceof Map<?, ?> map
                    && map.get("b") instanceof byte[] b) {
                long t = map.get("t") instanceof Long l ? l : 0;
                return new MessageBody(new String(b, StandardCharsets.UTF_8), t);
            }
        } catch (BencodeException e) {
            // not ours
        }
        return null;
    }
}
