package dev.scout.dht;

import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.bouncycastle.util.encoders.Hex;

/**
 * A 32-byte Ed25519 public key: how people name each other in Scout, and the key ({@code k})
 * of a BEP 44 mutable item.
 *
 * <p>Shown to humans as 52 z-base-32 characters; {@link #parse} also accepts 64 hex
 * digits. Equality is by content. This class checks the format only; whether the bytes
 * are a usable curve point is checked by {@code dev.scout.core.crypto.KeyExchange} and {@link #verify}.
 *
 * <pre>{@code
 * Ed25519PublicKey bob = Ed25519PublicKey.parse("yqooxx9u3aemh8mo5wcqq16yufu6jitouq1o4za751dger1igghy");
 * String shown = bob.toZBase32();
 * boolean ok = bob.verify(message, signature);
 * }</pre>
 */
public final class Ed25519PublicKey {

    /** Length of a public key in bytes. */
    public static final int BYTES = 32;

    private static final int HEX_CHARS = 64;

    private final byte[] key;

    private Ed25519PublicKey(byte[] key) {
        this.key = key;
    }

    /**
     * Wraps 32 bytes (copied).
     *
     * @param bytes the bytes
     * @return the ed25519 public key
     */
    public static Ed25519PublicKey of(byte[] bytes) {
        if (bytes == null || bytes.length != BYTES) {
            throw new KeyFormatException("public key must be " + BYTES + " bytes, got "
                    + (bytes == null ? "null" : bytes.length + " bytes"));
        }
        return new Ed25519PublicKey(bytes.clone());
    }

    /**
     * Parses 52 z-base-32 characters or 64 hex digits (either case; surrounding
     * whitespace is ignored because keys are often pasted).
     *
     * @throws KeyFormatException with a message saying what is wrong
     * @param text the text
     * @return the ed25519 public key
     */
    public static Ed25519PublicKey parse(String text) {
        if (text == null) {
            throw new KeyFormatException("public key must not be null");
        }
        String s = text.strip();
        if (s.length() == ZBase32.KEY_CHARS) {
            return new Ed25519PublicKey(ZBase32.decodeKey(s));
        }
        if (s.length() == HEX_CHARS) {
            return new Ed25519PublicKey(decodeHex(s));
        }
        throw new KeyFormatException("public key must be " + ZBase32.KEY_CHARS
                + " z-base-32 characters or " + HEX_CHARS + " hex digits, got " + s.length() + " characters");
    }

    private static byte[] decodeHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isHexDigit(s.charAt(i))) {
                throw new KeyFormatException("character '" + s.charAt(i) + "' at position " + i
                        + " is not a hex digit");
            }
        }
        return Hex.decode(s);
    }

    // Explicit ranges: Character.digit would also accept non-ASCII digits.
    private static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** {@return the 32 key bytes (a copy)} */
    public byte[] bytes() {
        return key.clone();
    }

    /** {@return the 52-character z-base-32 form, the canonical way to show a key} */
    public String toZBase32() {
        return ZBase32.encodeKey(key);
    }

    /** {@return the 64-digit lower-case hex form} */
    public String toHex() {
        return Hex.toHexString(key);
    }

    /**
     * Checks an Ed25519 signature made by the owner of this key. Returns {@code false}
     * (rather than throwing) for a key that is not a valid curve point, since such a key
     * cannot have signed anything.
     *
     * @param message the message
     * @param signature the signature
     * @return true if the signature is valid
     */
    public boolean verify(byte[] message, byte[] signature) {
        if (signature == null || signature.length != Ed25519.SIGNATURE_SIZE) {
            return false;
        }
        try {
            // Decodes the point itself and answers false for one that is not on the curve.
            return Ed25519.verify(signature, 0, key, 0, message, 0, message.length);
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ed25519PublicKey other && Arrays.equals(key, other.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return toZBase32();
    }
}
