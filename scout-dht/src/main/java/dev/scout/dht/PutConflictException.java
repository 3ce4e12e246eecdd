package dev.scout.dht;

import dev.scout.dht.krpc.KrpcError;

/**
 * A mutable put refused by storing nodes because a newer version exists: BEP 44 error 301 (cas
 * mismatch) or 302 (seq not newer). Re-read the item, merge, and put again with the new seq.
 */
public final class PutConflictException extends DhtException {
    private static final long serialVersionUID = 1L;
    private final int code;
    private final transient PutResult result;

    public PutConflictException(int code, PutResult result) {
        super(code == KrpcError.CAS_MISMATCH
                ? "cas mismatch (301): the item changed since it was read"
                : "sequence number not newer than the stored one (302)");
        this.code = code;
        this.result = result;
    }

    /** 301 or 302. */
    public int code() {
        return code;
    }

    public PutResult result() {
        return result;
    }

    public boolean isCasMismatch() {
        return code == KrpcError.CAS_MISMATCH;
    }
}
