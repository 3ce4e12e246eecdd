package dev.scout.dht.item;

import dev.scout.dht.NodeId;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A BEP 44 mutable item: a value signed by an Ed25519 key, stored under SHA-1(public key ‖ salt), with a
 * sequence number so newer versions replace older ones.
 *
 * <pre>{@code
 * ItemSigner signer = ItemSigner.fromSeed(seed);
 * MutableItem item = MutableItem.sign(signer, new byte[0], 1, Bencode.encode(Bencode.bytes("Hello World!")));
 * assert item.verify();
 * }</pre>
 *
 * @param publicKey 32-byte Ed25519 key ({@code k})
 * @param salt      0..64 bytes ({@code salt}); empty when absent
 * @param seq       sequence number, 0 … 2⁶³−1
 * @param value     the bencoded {@code v}
 * @param signature 64-byte Ed25519 signature ({@code sig}) over {@link #signingBuffer}
 */
public record MutableItem(byte[] publicKey, byte[] salt, long seq, byte[] value, byte[] signature) {
    public MutableItem {
        publicKey = publicKey.clone();
        salt = salt == null ? new byte[0] : salt.clone();
        value = value.clone();
        signature = signature.clone();
        if (publicKey.length != 32) {
            throw new ItemException("a public key is 32 bytes, got " + publicKey.length);
        }
        if (signature.length != 64) {
            throw new ItemException("a signature is 64 bytes, got " + signature.length);
        }
        Limits.checkSalt(salt);
        Limits.checkValue(value);
        Limits.checkSeq(seq);
    }

    /** Signs {@code value} (bencoded) with {@code signer}. */
    public static MutableItem sign(ItemSigner signer, byte[] salt, long seq, byte[] value) {
        byte[] s = salt == null ? new byte[0] : salt;
        Limits.checkSalt(s);
        Limits.checkValue(value);
        Limits.checkSeq(seq);
        return new MutableItem(signer.publicKey(), s, seq, value, signer.sign(signingBuffer(s, seq, value)));
    }

    /** BEP 44: {@code [4:salt<len>:<salt>]3:seqi<seq>e1:v<bencoded value>}. */
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

    /** SHA-1(k ‖ salt). */
    public static NodeId target(byte[] publicKey, byte[] salt) {
        return NodeId.of(Hashes.sha1(publicKey, salt == null ? new byte[0] : salt));
    }

    public NodeId target() {
        return target(publicKey, salt);
    }

    public boolean verify() {
        return ItemSigner.verify(publicKey, signingBuffer(salt, seq, value), signature);
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }
}
