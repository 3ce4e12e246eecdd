package dev.scout.dht.bencode;

/**
 * Bounds applied while decoding, so hostile input cannot exhaust stack or heap.
 *
 * @param maxDepth    deepest nesting of lists and dictionaries
 * @param maxElements total number of values (strings, integers, lists, dicts) in one document
 * @param maxLength   longest input accepted, in bytes
 */
public record BencodeLimits(int maxDepth, int maxElements, int maxLength) {
    /** Generous for any KRPC message (a UDP datagram is at most 64 KiB). */
    public static final BencodeLimits KRPC = new BencodeLimits(32, 4096, 65_536);

    /**
     * Checks that every bound is positive.
     *
     * @param maxDepth deepest nesting of lists and dictionaries
     * @param maxElements total number of values (strings, integers, lists, dicts) in one document
     * @param maxLength longest input accepted, in bytes
     */
    public BencodeLimits {
        if (maxDepth < 1 || maxElements < 1 || maxLength < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
