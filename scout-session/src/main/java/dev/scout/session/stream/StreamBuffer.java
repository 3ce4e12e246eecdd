package dev.scout.session.stream;

/**
 * The bytes of one direction of a stream, in a ring indexed by stream offset that grows on demand
 * (doubling, from {@value #MIN_CAPACITY} bytes up to {@link #WINDOW}) and is dropped when
 * empty (a budgeted one only while its budget is more than half used), so idle streams hold little. Growth may be charged to a {@link BufferBudget}.
 * Not thread-safe: the owning stream ({@code StreamImpl}) guards it with its monitor.
 */
public final class StreamBuffer {
    /** A stream's receive window: the most bytes one side of a stream buffers (the window a stream advertises). */
    public static final int WINDOW = 1 << 20;
    public static final int MIN_CAPACITY = 16 * 1024;

    private final BufferBudget budget;
    private byte[] ring;

    /** {@code budget}: charged for the capacity, or null for a buffer limited only by its window. */
    public StreamBuffer(BufferBudget budget) {
        this.budget = budget;
    }

    /**
     * Makes room for the offsets {@code [live, end)}, where the bytes from {@code live} on are kept;
     * false if the budget has no room for the larger ring (then nothing changed).
     */
    public boolean ensure(long live, long end) {
        long need = end - live;
        int capacity = ring == null ? 0 : ring.length;
        if (need <= capacity) {
            return true;
        }
        int grown = Math.max(MIN_CAPACITY, Integer.highestOneBit((int) Math.min(need - 1, WINDOW)) << 1);
        grown = Math.min(grown, WINDOW);
        if (budget != null && !budget.tryReserve(grown - capacity)) {
            return false;
        }
        byte[] bigger = new byte[grown];
        if (ring != null) {
            byte[] kept = new byte[capacity];
            copy(ring, live, kept, 0, capacity, false);
            copy(bigger, live, kept, 0, capacity, true);
        }
        ring = bigger;
        return true;
    }

    /** Stores {@code len} bytes of {@code src} at stream offset {@code at} (room was ensured). */
    public void write(long at, byte[] src, int off, int len) {
        copy(ring, at, src, off, len, true);
    }

    /** Copies {@code len} bytes at stream offset {@code at} into {@code dst}. */
    public void read(long at, byte[] dst, int off, int len) {
        copy(ring, at, dst, off, len, false);
    }

    /**
     * The ring is empty: drops it if it is unbudgeted or its budget is more than half used. Otherwise
     * it is kept for the next bytes (a fast stream would otherwise allocate a ring per packet).
     */
    public void idle() {
        if (budget == null || budget.pressed()) {
            release();
        }
    }

    /** Drops the ring (nothing in it is needed any more) and gives its bytes back. */
    public void release() {
        if (ring != null && budget != null) {
            budget.release(ring.length);
        }
        ring = null;
    }

    public int capacity() {
        return ring == null ? 0 : ring.length;
    }

    /** Copies between ring position {@code at} (wrapping) and {@code buf}; {@code intoRing} gives the direction. */
    private static void copy(byte[] ring, long at, byte[] buf, int off, int len, boolean intoRing) {
        if (len == 0) {
            return;
        }
        int pos = (int) (at % ring.length);
        int first = Math.min(len, ring.length - pos);
        if (intoRing) {
            System.arraycopy(buf, off, ring, pos, first);
            System.arraycopy(buf, off + first, ring, 0, len - first);
        } else {
            System.arraycopy(ring, pos, buf, off, first);
            System.arraycopy(ring, 0, buf, off + first, len - first);
        }
    }
}
