package dev.scout.dht.item;

/** BEP 44 size limits, checked before anything is sent or stored. */
public final class Limits {
    /** Largest bencoded {@code v}. */
    public static final int MAX_VALUE_BYTES = 1000;
    /** Largest salt. */
    public static final int MAX_SALT_BYTES = 64;

    private Limits() {}

    public static void checkValue(byte[] bencodedValue) {
        if (bencodedValue.length > MAX_VALUE_BYTES) {
            throw new ItemException("value is " + bencodedValue.length + " bytes bencoded; BEP 44 allows at most "
                    + MAX_VALUE_BYTES);
        }
        if (bencodedValue.length == 0) {
            throw new ItemException("value is empty; it must be a bencoded value");
        }
    }

    /**
     * BEP 44 sequence numbers count up from 0 and are compared as signed 64-bit integers: a negative
     * one is refused everywhere (libtorrent and mainline never write one), so no node stores it and
     * {@code -2^63} can never reach an encoder.
     */
    public static void checkSeq(long seq) {
        if (seq < 0) {
            throw new ItemException("seq must not be negative, got " + seq);
        }
    }

    public static void checkSalt(byte[] salt) {
        if (salt.length > MAX_SALT_BYTES) {
            throw new ItemException("salt is " + salt.length + " bytes; BEP 44 allows at most " + MAX_SALT_BYTES);
        }
    }
}
