package dev.scout.dht.bencode;

/**
 * Already-encoded bencode, written verbatim by {@link Bencode#encode(Object)}. Used for BEP 44 values,
 * whose exact bytes are covered by a hash or signature.
 */
public record RawValue(byte[] bytes) {
    public RawValue {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }
}
