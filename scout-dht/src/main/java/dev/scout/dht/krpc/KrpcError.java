package dev.scout.dht.krpc;

/** A KRPC error datagram ({@code y=e}) with its numeric code and message. */
public record KrpcError(byte[] transactionId, int code, String message) implements KrpcMessage {
    public static final int GENERIC = 201;
    public static final int SERVER = 202;
    public static final int PROTOCOL = 203;
    public static final int METHOD_UNKNOWN = 204;
    /** BEP 44: the value is larger than 1000 bytes. */
    public static final int VALUE_TOO_BIG = 205;
    /** BEP 44: the signature does not verify. */
    public static final int INVALID_SIGNATURE = 206;
    /** BEP 44: the salt is larger than 64 bytes. */
    public static final int SALT_TOO_BIG = 207;
    /** BEP 44: compare-and-swap failed. */
    public static final int CAS_MISMATCH = 301;
    /** BEP 44: the sequence number is not newer than the stored one. */
    public static final int SEQ_TOO_OLD = 302;
}
