package dev.scout.dht.bencode;

/**
 * Already-encoded bencode, written verbatim by {@link Bencode#encode(Object)}. Used for BEP 44 values,
 * whose exact bytes are covered by a hash or signature.
 *
 * @param bytes the encoded value
 */
public record RawValue(byte[] bytes) {
    /**
     * Copies {@code bytes}.
     *
     * @param bytes the encoded value
     */
    public RawValue {
        bytes = bytes.clone();
    }

    /** {@return the encoded value (a copy)} */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }
}
