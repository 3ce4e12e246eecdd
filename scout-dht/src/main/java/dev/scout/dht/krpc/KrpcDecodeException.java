package dev.scout.dht.krpc;

/**
 * A datagram that is not a valid KRPC message. When the transaction id could be read from a query,
 * the node answers with error {@link #code()} (203 unless stated); otherwise the datagram is dropped.
 */
public final class KrpcDecodeException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient byte[] transactionId;
    private final boolean query;
    private final int code;

    public KrpcDecodeException(String message, byte[] transactionId, boolean query, int code) {
        super(message);
        this.transactionId = transactionId;
        this.query = query;
        this.code = code;
    }

    /** The transaction id if it could be read, else null. */
    public byte[] transactionId() {
        return transactionId;
    }

    /** True when the datagram was recognisably a query, so an error reply is appropriate. */
    public boolean wasQuery() {
        return query;
    }

    public int code() {
        return code;
    }
}
