package dev.scout.dht.item;

import dev.scout.dht.NodeId;
import dev.scout.dht.bencode.Bencode;

/**
 * A BEP 44 immutable item: any bencoded value, stored under the SHA-1 of its encoding.
 *
 * <pre>{@code
 * ImmutableItem item = ImmutableItem.ofText("Hello World!");
 * NodeId target = item.target(); // e5f96f6f38320f0f33959cb4d3d656452117aadb
 * }</pre>
 *
 * @param value the bencoded value, at most {@link Limits#MAX_VALUE_BYTES} bytes
 */
public record ImmutableItem(byte[] value) {
    public ImmutableItem {
        value = value.clone();
        Limits.checkValue(value);
    }

    /** A UTF-8 string stored as a bencoded byte string. */
    public static ImmutableItem ofText(String text) {
        return new ImmutableItem(Bencode.encode(Bencode.bytes(text)));
    }

    /** Raw bytes stored as a bencoded byte string. */
    public static ImmutableItem ofBytes(byte[] bytes) {
        return new ImmutableItem(Bencode.encode(bytes));
    }

    public NodeId target() {
        return NodeId.of(Hashes.sha1(value));
    }

    @Override
    public byte[] value() {
        return value.clone();
    }
}
