package dev.scout.session.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A set of non-overlapping half-open ranges [start, end) of longs, merged on insertion. Used for
 * acknowledged and lost stream bytes, received stream bytes and received packet numbers. Not
 * thread-safe.
 */
public final class RangeSet {
    private final TreeMap<Long, Long> ranges = new TreeMap<>();

    /** Adds [start, end); empty ranges are ignored. */
    public void add(long start, long end) {
        if (end <= start) {
            return;
        }
        Map.Entry<Long, Long> before = ranges.floorEntry(start);
        if (before != null && before.getValue() >= start) {
            start = before.getKey();
            end = Math.max(end, before.getValue());
        }
        Map.Entry<Long, Long> next = ranges.ceilingEntry(start);
        while (next != null && next.getKey() <= end) {
            end = Math.max(end, next.getValue());
            ranges.remove(next.getKey());
            next = ranges.ceilingEntry(start);
        }
        ranges.put(start, end);
    }

    /** Removes [start, end) from the set. */
    public void remove(long start, long end) {
        if (end <= start) {
            return;
        }
        Map.Entry<Long, Long> e = ranges.floorEntry(start);
        if (e == null || e.getValue() <= start) {
            e = ranges.higherEntry(start);
        }
        while (e != null && e.getKey() < end) {
            long s = e.getKey();
            long t = e.getValue();
            ranges.remove(s);
            if (s < start) {
                ranges.put(s, start);
            }
            if (t > end) {
                ranges.put(end, t);
            }
            e = ranges.higherEntry(s);
        }
    }

    public boolean contains(long value) {
        Map.Entry<Long, Long> e = ranges.floorEntry(value);
        return e != null && e.getValue() > value;
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    public int size() {
        return ranges.size();
    }

    /** The first range, or {@code null}. */
    public long[] first() {
        Map.Entry<Long, Long> e = ranges.firstEntry();
        return e == null ? null : new long[] {e.getKey(), e.getValue()};
    }

    /** Drops the lowest ranges until at most {@code max} remain (bounds memory against hostile peers). */
    public void keepHighest(int max) {
        while (ranges.size() > max) {
            ranges.pollFirstEntry();
        }
    }

    /** The ranges, highest first, at most {@code max} of them. */
    public List<long[]> descending(int max) {
        List<long[]> out = new ArrayList<>();
        for (Map.Entry<Long, Long> e : ranges.descendingMap().entrySet()) {
            if (out.size() == max) {
                break;
            }
            out.add(new long[] {e.getKey(), e.getValue()});
        }
        return out;
    }

    /** The end of the range containing {@code value}, or {@code value} if it is not in the set. */
    public long contiguousEnd(long value) {
        Map.Entry<Long, Long> e = ranges.floorEntry(value);
        return e != null && e.getValue() > value ? e.getValue() : value;
    }
}
