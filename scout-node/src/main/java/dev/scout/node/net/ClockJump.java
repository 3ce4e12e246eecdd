package dev.scout.node.net;

/**
 * Notices a sleep and resume: between two looks the wall clock moved much further than the monotonic
 * clock (which, on Linux, stands still while the machine is suspended), or backwards. Pure: the caller
 * passes both clocks' readings.
 */
final class ClockJump {
    /** A gap between the clocks larger than this is a jump (NTP slews far less between two looks). */
    static final long THRESHOLD_MILLIS = 5_000;

    private long lastWallMillis = Long.MIN_VALUE;
    private long lastMonoNanos;

    /** Takes one reading of both clocks; returns the jump in milliseconds, or 0 if there was none. */
    long look(long wallMillis, long monoNanos) {
        long jump = 0;
        if (lastWallMillis != Long.MIN_VALUE) {
            long wall = wallMillis - lastWallMillis;
            long mono = (monoNanos - lastMonoNanos) / 1_000_000;
            if (Math.abs(wall - mono) > THRESHOLD_MILLIS) {
                jump = wall - mono;
            }
        }
        lastWallMillis = wallMillis;
        lastMonoNanos = monoNanos;
        return jump;
    }
}
