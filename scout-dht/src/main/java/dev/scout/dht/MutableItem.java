package dev.scout.dht;

import dev.scout.dht.item.Hashes;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A BEP 44 mutable item: a value signed by an Ed25519 key, stored under SHA-1(public key ‖ salt), with a
 * sequence number so newer versions replace older ones.
 *
 * <pre>{@code
 * Ed25519KeyPair keys = Ed25519KeyPair.ofSeed(seed);
 * MutableItem item = MutableItem.sign(keys, new byte[0], 1, ImmutableItem.ofText("Hello World!").value());
 * assert item.verify();
 * String text = item.text(); // "Hello World!"
 * }</pre>
 *
 * @param publicKey the signer's key ({@code k})
 * @param salt      0..64 bytes ({@code salt}); empty when absent
 * @param seq       sequence number
 * @param value     the bencoded {@code v}; {@link #bytes()} and {@link #text()} decode a byte string
 * @param signature 64-byte Ed25519 signature ({@code sig}) over {@link #signingBuffer}
 */
public record MutableItem(Ed25519PublicKey publicKey, byte[] salt, long seq, byte[] value, byte[] signature) {
    /**
     * Copies the arrays and checks the BEP 44 limits; {@link ItemException} when one is broken.
     *
     * @param publicKey the public key
     * @param salt the salt (empty: none)
     * @param seq the sequence number
     * @param value the value
     * @param signature the signature
     */
    public MutableItem {
        Objects.requireNonNull(publicKey, "publicKey");
        salt = salt == null ? new byte[0] : salt.clone();
        value = value.clone();
        signature = signature.clone();
        if (signature.length != 64) {
            throw new ItemException("a signature is 64 bytes, got " + signature.length);
        }
        Limits.checkSalt(salt);
        Limits.checkValue(value);
        Limits.checkSeq(seq);
    }

    /**
     * An item as it arrives from the wire, with the key as 32 raw bytes.
     *
     * @throws ItemException if the key is not 32 bytes or a limit is broken
     * @param publicKey the public key
     * @param salt the salt (empty: none)
     * @param seq the sequence number
     * @param value the value
     * @param signature the signature
     */
    public MutableItem(byte[] publicKey, byte[] salt, long seq, byte[] value, byte[] signature) {
        this(key(publicKey), salt, seq, value, signature);
    }

    private static Ed25519PublicKey key(byte[] publicKey) {
        if (publicKey.length != Ed25519PublicKey.BYTES) {
            throw new ItemException("a public key is 32 bytes, got " + publicKey.length);
        }
        return Ed25519PublicKey.of(publicKey);
    }

    /**
     * Signs {@code value} (bencoded) with {@code keys}.
     *
     * @param keys the key pair
     * @param salt the salt (empty: none)
     * @param seq the sequence number
     * @param value the value
     * @return the signed item
     */
    public static MutableItem sign(Ed25519KeyPair keys, byte[] salt, long seq, byte[] value) {
        byte[] s = salt == null ? new byte[0] : salt;
        Limits.checkSalt(s);
        Limits.checkValue(value);
        Limits.checkSeq(seq);
        return new MutableItem(keys.publicKey(), s, seq, value, keys.sign(signingBuffer(s, seq, value)));
    }

    /**
     * BEP 44: {@code [4:salt<len>:<salt>]3:seqi<seq>e1:v<bencoded value>}.
     *
     * @param salt the salt (empty: none)
     * @param seq the sequence number
     * @param value the value
     * @return the bytes
     */
    public static byte[] signingBuffer(byte[] salt, long seq, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 96);
        if (salt != null && salt.length > 0) {
            out.writeBytes(("4:salt" + salt.length + ":").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(salt);
        }
        out.writeBytes(("3:seqi" + seq + "e1:v").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(value);
        return out.toByteArray();
    }

    /**
     * SHA-1(k ‖ salt): where the items of {@code publicKey} under {@code salt} live.
     *
     * @param publicKey the public key
     * @param salt the salt (empty: none)
     * @return the node id
     */
    public static NodeId target(Ed25519PublicKey publicKey, byte[] salt) {
        return NodeId.of(Hashes.sha1(publicKey.bytes(), salt == null ? new byte[0] : salt));
    }

    /** {@return where this item lives} */
    public NodeId target() {
        return target(publicKey, salt);
    }

    /** {@return true if the signature is the key's over this salt, seq and value} */
    public boolean verify() {
        return publicKey.verify(signingBuffer(salt, seq, value), signature);
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

    /** {@return the salt (a copy)} */
    @Override
    public byte[] salt() {
        return salt.clone();
    }

    /** {@return the bencoded value (a copy)} */
    @Override
    public byte[] value() {
        return value.clone();
    }

    /** {@return the signature (a copy)} */
    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MutableItem m && seq == m.seq && publicKey.equals(m.publicKey)
                && Arrays.equals(salt, m.salt) && Arrays.equals(value, m.value) && Arrays.equals(signature, m.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(publicKey, seq, Arrays.hashCode(salt), Arrays.hashCode(value));
    }

    @Override
    public String toString() {
        return "MutableItem[key=" + publicKey.toHex() + ", salt=" + salt.length + " bytes, seq=" + seq
                + ", value=" + value.length + " bytes]";
    }
}
