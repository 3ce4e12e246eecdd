package dev.scout.dht.bencode;

import dev.scout.dht.ScoutException;

/** Malformed, non-canonical or oversized bencoded input; {@link #position()} is the byte offset of the fault. */
public final class BencodeException extends ScoutException {
    private static final long serialVersionUID = 1L;
    /** Byte offset of the fault. */
    private final int position;

    /**
     * Creates the exception.
     *
     * @param message  what is wrong
     * @param position byte offset of the fault in the input
     */
    public BencodeException(String message, int position) {
        super(message + " at byte " + position);
        this.position = position;
    }

    /**
     * Byte offset in the input where decoding failed.
     *
     * @return the position
     */
    public int position() {
        return position;
    }
}
