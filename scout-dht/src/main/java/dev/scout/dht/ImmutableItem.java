package dev.scout.dht;

import dev.scout.dht.item.Hashes;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A BEP 44 immutable item: any bencoded value, stored under the SHA-1 of its encoding.
 *
 * <pre>{@code
 * ImmutableItem item = ImmutableItem.ofText("Hello World!");
 * NodeId target = item.target(); // e5f96f6f38320f0f33959cb4d3d656452117aadb
 * String back = item.text();     // "Hello World!"
 * byte[] raw = item.value();     // the bencoding, "12:Hello World!"
 * }</pre>
 *
 * @param value the bencoded value, at most {@link Limits#MAX_VALUE_BYTES} bytes
 */
public record ImmutableItem(byte[] value) {
    /**
     * Copies {@code value} and checks its size; {@link ItemException} when it is empty or too large.
     *
     * @param value the value
     */
    public ImmutableItem {
        value = value.clone();
        Limits.checkValue(value);
    }

    /**
     * A UTF-8 string stored as a bencoded byte string.
     *
     * @param text the text
     * @return a UTF-8 string stored as a bencoded byte string
     */
    public static ImmutableItem ofText(String text) {
        return ofBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Raw bytes stored as a bencoded byte string.
     *
     * @param bytes the bytes
     * @return the immutable item
     */
    public static ImmutableItem ofBytes(byte[] bytes) {
        return new ImmutableItem(ByteStrings.encode(bytes));
    }

    /**
     * A value that is already bencoded (a dictionary, list, integer or byte string).
     *
     * @param bencoded the bencoded
     * @return a value that is already bencoded (a dictionary, list, integer or byte string)
     */
    public static ImmutableItem ofBencoded(byte[] bencoded) {
        return new ImmutableItem(bencoded);
    }

    /**
     * SHA-1 of the bencoded value: where the item lives.
     *
     * @return the node id
     */
    public NodeId target() {
        return NodeId.of(Hashes.sha1(value));
    }

    /**
     * True if the value is a bencoded byte string, so {@link #bytes()} and {@link #text()} apply.
     *
     * @return true if the value is a bencoded byte string, so {@link #bytes()} and {@link #text()} apply
     */
    public boolean isByteString() {
        return ByteStrings.decode(value).isPresent();
    }

    /**
     * The value decoded from a bencoded byte string; {@link ItemException} if it is another bencoded type.
     *
     * @return the value decoded from a bencoded byte string
     */
    public byte[] bytes() {
        return ByteStrings.require(value);
    }

    /** {@return the value decoded from a bencoded byte string as UTF-8 text} */
    public String text() {
        return ByteStrings.text(value);
    }

    /** {@return the bencoded value (a copy)} */
    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImmutableItem other && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "ImmutableItem[" + value.length + " bytes]";
    }
}
