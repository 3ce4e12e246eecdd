package dev.scout.app;

import java.security.SecureRandom;

/** Device tags: 23 random bits identifying one installation inside entry ids (docs/app-format.md). */
public final class DeviceTags {

    /** Largest tag. */
    public static final int MAX = (1 << 23) - 1;

    private static final SecureRandom RANDOM = new SecureRandom();

    private DeviceTags() {}

    /** A random tag. */
    public static int random() {
        return RANDOM.nextInt(MAX + 1);
    }

    /** {@code tag} if it is a 23-bit value; else {@link IllegalArgumentException}. */
    public static int requireValid(int tag) {
        if (tag < 0 || tag > MAX) {
            throw new IllegalArgumentException("device tag must be a 23-bit value (0.." + MAX + "), got " + tag);
        }
        return tag;
    }
}
