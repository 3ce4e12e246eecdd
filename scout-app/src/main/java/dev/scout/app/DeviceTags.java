package dev.scout.app;

import java.security.SecureRandom;

/** Device tags: 23 random bits identifying one installation inside entry ids (docs/app-format.md). */
public final class DeviceTags {

    /** Largest tag. */
    public static final int MAX = (1 << 23) - 1;

    private static final SecureRandom RANDOM = new SecureRandom();

    private DeviceTags() {}

    /** {@return a random tag from a {@link SecureRandom}} */
    public static int random() {
        return RANDOM.nextInt(MAX + 1);
    }

    /**
     * Checks a tag read from outside.
     *
     * @param tag the tag
     * @return {@code tag}
     * @throws IllegalArgumentException if it is not a 23-bit value
     */
    public static int requireValid(int tag) {
        if (tag < 0 || tag > MAX) {
            throw new IllegalArgumentException("device tag must be a 23-bit value (0.." + MAX + "), got " + tag);
        }
        return tag;
    }
}
