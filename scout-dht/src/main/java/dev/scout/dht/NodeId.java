package dev.scout.dht;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

/**
 * A 160-bit DHT key: a node id, an info-hash or an item target. Distances are XOR, compared as
 * unsigned big-endian integers.
 *
 * <pre>{@code
 * NodeId target = NodeId.parse("8187911bd9fd8cd6add811c1669370f8fd773788");
 * int cmp = target.compareDistance(a, b); // < 0 when a is closer to target than b
 * }</pre>
 */
public final class NodeId implements Comparable<NodeId> {
    /** Bytes in an id. */
    public static final int LENGTH = 20;
    /** Bits in an id. */
    public static final int BITS = 160;
    private static final SecureRandom SECURE = new SecureRandom();

    private final byte[] bytes;
    private final int hash;

    private NodeId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /**
     * Copies a 20-byte id.
     *
     * @param bytes the bytes
     * @return the node id
     */
    public static NodeId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a node id is 20 bytes, got " + bytes.length);
        }
        return new NodeId(bytes.clone());
    }

    /**
     * Parses 40 hex digits.
     *
     * @param hex hexadecimal digits
     * @return the node id
     */
    public static NodeId parse(String hex) {
        if (hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("a node id is 40 hex digits, got " + hex.length() + " characters");
        }
        try {
            return new NodeId(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a hex node id: " + hex, e);
        }
    }

    /**
     * A random id from a {@link java.security.SecureRandom}.
     *
     * @return the id
     */
    public static NodeId random() {
        return random(SECURE);
    }

    /**
     * A random id.
     *
     * @param random the source of randomness
     * @return the id
     */
    public static NodeId random(Random random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        return new NodeId(b);
    }

    /**
     * A random id that shares its first {@code prefixBits} bits with {@code prefix}.
     *
     * @param prefix the prefix
     * @param prefixBits how many leading bits to take from {@code prefix}
     * @param random the source of randomness
     * @return a random id that shares its first {@code prefixBits} bits with {@code prefix}
     */
    public static NodeId randomWithPrefix(NodeId prefix, int prefixBits, Random random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        for (int i = 0; i < prefixBits; i++) {
            int mask = 0x80 >>> (i & 7);
            b[i >>> 3] = (byte) ((b[i >>> 3] & ~mask) | (prefix.bytes[i >>> 3] & mask));
        }
        return new NodeId(b);
    }

    /** {@return a copy of the 20 bytes} */
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * Copies the 20 bytes into {@code dst} at {@code offset}, without the defensive copy of {@link #bytes()}.
     *
     * @param dst the dst
     * @param offset where the input starts in {@code data}
     */
    public void copyTo(byte[] dst, int offset) {
        System.arraycopy(bytes, 0, dst, offset, LENGTH);
    }

    /**
     * Bit {@code i} counted from the most significant bit (0..159).
     *
     * @param i the i
     * @return true if the bit is set
     */
    public boolean bit(int i) {
        return (bytes[i >>> 3] & (0x80 >>> (i & 7))) != 0;
    }

    /**
     * Number of leading bits shared with {@code other} (160 when equal).
     *
     * @param other the other one
     * @return the common prefix length
     */
    public int commonPrefixLength(NodeId other) {
        for (int i = 0; i < LENGTH; i++) {
            int x = (bytes[i] ^ other.bytes[i]) & 0xFF;
            if (x != 0) {
                return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
            }
        }
        return BITS;
    }

    /**
     * Compares the XOR distances of {@code a} and {@code b} to this id.
     *
     * @param a one id
     * @param b another id
     * @return negative if {@code a} is closer, positive if {@code b} is, 0 if they are equal
     */
    public int compareDistance(NodeId a, NodeId b) {
        for (int i = 0; i < LENGTH; i++) {
            int da = (a.bytes[i] ^ bytes[i]) & 0xFF;
            int db = (b.bytes[i] ^ bytes[i]) & 0xFF;
            if (da != db) {
                return da < db ? -1 : 1;
            }
        }
        return 0;
    }

    /**
     * The XOR distance to {@code other}.
     *
     * @param other the other one
     * @return the XOR distance to {@code other}
     */
    public NodeId distance(NodeId other) {
        byte[] d = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            d[i] = (byte) (bytes[i] ^ other.bytes[i]);
        }
        return new NodeId(d);
    }

    /** {@return the 40-digit lower-case hex form} */
    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public int compareTo(NodeId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeId other && hash == other.hash && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return toHex();
    }
}
