package dev.scout.session.internal;

/**
 * Sliding-window replay protection for packet numbers (as in RFC 6479 / WireGuard): a number is
 * fresh if it is above everything seen, or within the last {@link #WINDOW} and not yet seen.
 * {@link #check} before decrypting, {@link #mark} only after the packet authenticated, so a forged
 * packet cannot move the window. Not thread-safe.
 */
public final class ReplayWindow {
    public static final int WINDOW = 4096;
    private static final int WORDS = WINDOW / 64;

    private final long[] bits = new long[WORDS];
    private long highest = -1;

    /** Whether {@code n} may be accepted (it is neither too old nor seen). */
    public boolean check(long n) {
        if (n < 0) {
            return false;
        }
        if (n > highest) {
            return true;
        }
        if (highest - n >= WINDOW) {
            return false;
        }
        return (bits[(int) ((n >>> 6) % WORDS)] & (1L << (n & 63))) == 0;
    }

    /** Records {@code n} as seen; call after {@link #check} returned true and the packet authenticated. */
    public void mark(long n) {
        if (n > highest) {
            long fromWord = highest < 0 ? 0 : (highest >>> 6) + 1;
            long toWord = n >>> 6;
            for (long w = fromWord; w <= toWord && w < fromWord + WORDS; w++) {
                bits[(int) (w % WORDS)] = 0;
            }
            highest = n;
        }
        bits[(int) ((n >>> 6) % WORDS)] |= 1L << (n & 63);
    }

    public long highest() {
        return highest;
    }
}
