package dev.scout.cli.state;

import java.security.SecureRandom;

/** Device tags: 23 random bits identifying one installation inside entry ids (docs/app-format.md). */
final class DeviceTags {

    /** Largest tag. */
    static final int MAX = (1 << 23) - 1;

    private static final SecureRandom RANDOM = new SecureRandom();

    private DeviceTags() {}

    static int random() {
        return RANDOM.nextInt(MAX + 1);
    }

    static int requireValid(int tag) {
        if (tag < 0 || tag > MAX) {
            throw new IllegalArgumentException("device tag must be a 23-bit value (0.." + MAX + "), got " + tag);
        }
        return tag;
    }
}
