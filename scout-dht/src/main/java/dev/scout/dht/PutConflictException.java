package dev.scout.dht;

/**
 * A mutable put refused by storing nodes because a newer version exists: BEP 44 error 301 (cas
 * mismatch) or 302 (seq not newer). Re-read the item, merge, and put again with the new seq.
 */
public final class PutConflictException extends DhtException {
    /** BEP 44 error: the stored item's seq differs from the put's compare-and-swap value. */
    public static final int CAS_MISMATCH = 301;
    /** BEP 44 error: the put's seq is not newer than the stored one. */
    public static final int SEQ_NOT_NEWER = 302;

    private static final long serialVersionUID = 1L;
    /** The BEP 44 error code. */
    private final int code;
    private final transient PutResult result;

    /**
     * @param code   {@link #CAS_MISMATCH} or {@link #SEQ_NOT_NEWER}
     * @param result the put that was refused
     */
    public PutConflictException(int code, PutResult result) {
        super(code == CAS_MISMATCH
                ? "cas mismatch (301): the item changed since it was read"
                : "sequence number not newer than the stored one (302)");
        this.code = code;
        this.result = result;
    }

    /**
     * 301 or 302.
     *
     * @return the code
     */
    public int code() {
        return code;
    }

    /** {@return the refused put, with every storing node's answer} */
    public PutResult result() {
        return result;
    }

    /** {@return true for 301: someone else wrote since the item was read} */
    public boolean isCasMismatch() {
        return code == CAS_MISMATCH;
    }
}
