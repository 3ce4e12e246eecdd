package dev.scout.session.transport;

/**
 * Sliding-window replay protection for packet numbers (RFC 6479, as WireGuard does it): a number is
 * fresh if it is above everything seen, or within the last {@link #WINDOW} and not yet seen.
 * {@link #check} before decrypting, {@link #mark} only after the packet authenticated, so a forged
 * packet cannot move the window. Not thread-safe.
 *
 * <p>The bitmap is a ring of 64-bit words with <em>one spare word</em>: the window's oldest word is
 * usually only partly inside it, so {@code WINDOW / 64} words would make the word cleared for the
 * newest numbers the one still holding the oldest (those would pass a second time). With the spare
 * word, every number within the window keeps its own bit until it falls out of the window.
 */
public final class ReplayWindow {
    public static final int WINDOW = 4096;
    private static final int WORDS = WINDOW / 64 + 1;

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
        return (bits[slot(n)] & (1L << (n & 63))) == 0;
    }

    /** Records {@code n} as seen; call after {@link #check} returned true and the packet authenticated. */
    public void mark(long n) {
        if (n > highest) {
            // clear the words the window slides onto (at most all of them), keeping the rest
            long fromWord = highest < 0 ? 0 : (highest >>> 6) + 1;
            long toWord = Math.min(n >>> 6, fromWord + WORDS - 1);
            for (long w = fromWord; w <= toWord; w++) {
                bits[(int) (w % WORDS)] = 0;
            }
            highest = n;
        }
        bits[slot(n)] |= 1L << (n & 63);
    }

    public long highest() {
        return highest;
    }

    private static int slot(long n) {
        return (int) ((n >>> 6) % WORDS);
    }
}
