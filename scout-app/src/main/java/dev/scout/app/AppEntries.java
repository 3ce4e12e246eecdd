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
    public static final int KIND_DEVICE = 1;
    public static final int KIND_OUTBOX_HEAD = 2;
    public static final int KIND_READ_MARKS = 3;
    /** A connect intent (docs/app-format.md; content encoded by scout-session's {@code ConnectIntent}). */
    public static final int KIND_CONNECT_INTENT = 4;
    /** Largest device tag: 23 bits. */
    public static final int MAX_TAG = (1 << 23) - 1;
    static final int MAX_ADDRESSES = 8;
    static final int MAX_MARKS = 10;
    private static final int MAX_NAME_BYTES = 32;
    private static final BencodeLimits LIMITS = new BencodeLimits(4, 64, RecordEntry.MAX_CONTENT_BYTES);

    private AppEntries() {}

    /** 0 for the identity with the smaller public key (unsigned byte order), 1 for the other. */
    public static int side(Ed25519PublicKey self, Ed25519PublicKey other) {
        return Arrays.compareUnsigned(self.bytes(), other.bytes()) < 0 ? 0 : 1;
    }

    public static long id(int side, int deviceTag, int kind) {
        if (deviceTag < 0 || deviceTag > MAX_TAG) {
            throw new IllegalArgumentException("device tag out of range: " + deviceTag);
        }
        return ((long) side << 31) | ((long) deviceTag << 8) | (kind & 0xFF);
    }

    public static int sideOf(long id) {
        return (int) (id >>> 31) & 1;
    }

    public static int tagOf(long id) {
        return (int) (id >>> 8) & MAX_TAG;
    }

    public static int kindOf(long id) {
        return (int) (id & 0xFF);
    }

    /**
     * What a kind-1 entry says about a device.
     *
     * @param updatedAt {@code u}: when the addresses or name last changed, Unix seconds (0 = not given)
     */
    public record Device(int tag, String name, List<InetSocketAddress> addresses, long updatedAt) {
        public Device {
            addresses = List.copyOf(addresses);
        }

        /** Same tag, name and addresses (the encoded limits applied), whatever the update time. */
        public boolean sameAs(Device other) {
            Device a = decodeDevice(tag, encodeDevice(this));
            Device b = decodeDevice(other.tag, encodeDevice(other));
            return a != null && b != null && a.tag == b.tag && a.name.equals(b.name) && a.addresses.equals(b.addresses);
        }
    }

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

    /** The device described by a kind-1 entry, or null if its content is not understood. */
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

    public static byte[] encodeHead(MessageId head) {
        return head.bytes();
    }

    /** The head in a kind-2 entry, or {@link MessageId#END} if malformed. */
    public static MessageId decodeHead(RecordEntry entry) {
        byte[] c = entry.content();
        return c.length == MessageId.BYTES ? MessageId.of(c) : MessageId.END;
    }

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

    /** RecordEntry content for a message body: {@code d1:b<text>1:ti<millis>e}. */
    public static byte[] encodeMessage(String text, long sentAtMillis) {
        return Bencode.encode(Bencode.dict("b", text.getBytes(StandardCharsets.UTF_8), "t", sentAtMillis));
    }

    /**
     * The most UTF-8 bytes of text one message can hold when sent at {@code sentAtMillis}: the body
     * ({@link #encodeMessage}) must fit {@link MessageSeal#MAX_BODY_BYTES}, and its bencoding spends a
     * few bytes on the text's length and the timestamp.
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

    /** Parses an opened message body; null if it is not a scout message. */
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
