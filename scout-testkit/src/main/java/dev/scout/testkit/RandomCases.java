package dev.scout.testkit;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Property tests as plain JUnit: a property is checked on fixed edge cases and then on {@code tries} cases
 * generated from a fixed master seed, so every run sees the same cases and a failure reproduces. A failing case
 * is reported with its number, its seed and a rendering of the generated value.
 */
public final class RandomCases {

    /** The master seed: case {@code i} is generated from the {@code i}-th {@code nextLong()} of this seed. */
    public static final long SEED = 0x5C0_07_2026L;

    private static final byte[] EDGE_BYTES = {0, 1, -1, Byte.MIN_VALUE, Byte.MAX_VALUE};
    private static final long[] EDGE_LONGS = {0, 1, -1, Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1,
        Long.MAX_VALUE};

    private RandomCases() {
    }

    /** The property under test; it may throw anything, which fails the case. */
    @FunctionalInterface
    public interface Check<T> {
        void accept(T value) throws Exception;
    }

    /** Checks {@code property} on {@code tries} generated cases. */
    public static <T> void forAll(int tries, Function<Random, T> generator, Check<T> property) {
        forAll(List.of(), tries, generator, property);
    }

    /** Checks {@code property} on every fixed case, then on {@code tries} generated cases. */
    public static <T> void forAll(List<T> fixed, int tries, Function<Random, T> generator, Check<T> property) {
        for (int i = 0; i < fixed.size(); i++) {
            check("fixed case " + i, fixed.get(i), property);
        }
        Random master = new Random(SEED);
        for (int i = 0; i < tries; i++) {
            long caseSeed = master.nextLong();
            T value = generator.apply(new Random(caseSeed));
            check("case " + i + " of " + tries + " (master seed " + SEED + ", case seed " + caseSeed + ")", value,
                    property);
        }
    }

    private static <T> void check(String label, T value, Check<T> property) {
        try {
            property.accept(value);
        } catch (Throwable t) {
            throw new AssertionError(label + " failed for " + describe(value) + "\n" + t, t);
        }
    }

    /** A readable rendering: byte arrays in hex, records by component, collections element-wise. */
    public static String describe(Object o) {
        if (o instanceof byte[] b) {
            return "byte[" + b.length + "] 0x" + HexFormat.of().formatHex(b);
        }
        if (o instanceof String s) {
            return '"' + s + "\" (length " + s.length() + ")";
        }
        if (o instanceof List<?> l) {
            return l.stream().map(RandomCases::describe).collect(Collectors.joining(", ", "[", "]"));
        }
        if (o instanceof Map<?, ?> m) {
            return m.entrySet().stream().map(e -> describe(e.getKey()) + "=" + describe(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        if (o instanceof Object[] a) {
            return describe(Arrays.asList(a));
        }
        if (o instanceof Record r) {
            StringBuilder sb = new StringBuilder(r.getClass().getSimpleName()).append('[');
            RecordComponent[] components = r.getClass().getRecordComponents();
            for (int i = 0; i < components.length; i++) {
                Object value;
                try {
                    components[i].getAccessor().setAccessible(true);
                    value = components[i].getAccessor().invoke(r);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    return r.toString();
                }
                sb.append(i == 0 ? "" : ", ").append(components[i].getName()).append('=').append(describe(value));
            }
            return sb.append(']').toString();
        }
        return String.valueOf(o);
    }

    // ---- generators with the edge cases a property-testing library would favour ------------------------

    /** Random bytes of a length in [min, max]; often the shortest or longest length, often edge byte values. */
    public static byte[] bytes(Random r, int min, int max) {
        byte[] b = new byte[sizes(r, min, max)];
        r.nextBytes(b);
        switch (r.nextInt(8)) {
            case 0 -> Arrays.fill(b, EDGE_BYTES[r.nextInt(EDGE_BYTES.length)]);
            case 1 -> {
                for (int i = 0; i < b.length; i++) {
                    if (r.nextInt(4) == 0) {
                        b[i] = EDGE_BYTES[r.nextInt(EDGE_BYTES.length)];
                    }
                }
            }
            default -> { }
        }
        return b;
    }

    /** A size in [min, max]: often the smallest or the largest, often a small one, otherwise uniform. */
    public static int sizes(Random r, int min, int max) {
        return switch (r.nextInt(10)) {
            case 0 -> min;
            case 1 -> max;
            case 2, 3 -> min + r.nextInt(Math.min(max - min, 8) + 1); // short arrays are the interesting ones
            default -> min + r.nextInt(max - min + 1);
        };
    }

    /** Random bytes of exactly {@code size} bytes, sometimes all one edge value. */
    public static byte[] bytes(Random r, int size) {
        return bytes(r, size, size);
    }

    /** Any long: often an edge value (0, ±1, the extremes and their neighbours) or a small number. */
    public static long longs(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> EDGE_LONGS[r.nextInt(EDGE_LONGS.length)];
            case 1, 2 -> r.nextInt(2001) - 1000;
            default -> r.nextLong();
        };
    }

    /** A long in [min, max], often one of the bounds or next to one. */
    public static long longs(Random r, long min, long max) {
        return switch (r.nextInt(10)) {
            case 0 -> min;
            case 1 -> max;
            case 2 -> Math.min(max, min + 1);
            case 3 -> Math.max(min, max - 1);
            default -> Math.min(max, min + (long) Math.floor(r.nextDouble() * ((double) max - min + 1)));
        };
    }

    /** An int in [min, max], often one of the bounds or next to one. */
    public static int ints(Random r, int min, int max) {
        return (int) Math.min(max, longs(r, min, max));
    }

    /** Any int: often an edge value. */
    public static int ints(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> new int[] {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE}[r.nextInt(5)];
            case 1, 2 -> r.nextInt(2001) - 1000;
            default -> r.nextInt();
        };
    }

    /**
     * Any string of up to {@code maxLength} chars: mixes ASCII, whitespace and control characters, letters and
     * digits from other scripts, and arbitrary UTF-16 units including lone surrogates.
     */
    public static String strings(Random r, int maxLength) {
        int length = r.nextInt(10) == 0 ? maxLength : r.nextInt(4) == 0 ? r.nextInt(9) : r.nextInt(maxLength + 1);
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(switch (r.nextInt(5)) {
                case 0 -> (char) (0x20 + r.nextInt(0x5F));
                case 1 -> " \t\n\r\u0000\u00a0\u2028".charAt(r.nextInt(7));
                case 2 -> "0123456789abcdefABCDEFybndrfg8ejkmcpqxot1uwisza345h769\u0663\u00e9".charAt(r.nextInt(56));
                case 3 -> (char) (0xD800 + r.nextInt(0x800));
                default -> (char) r.nextInt(0x10000);
            });
        }
        return sb.toString();
    }

    /** Any byte: often an edge value. */
    public static byte anyByte(Random r) {
        return r.nextInt(4) == 0 ? EDGE_BYTES[r.nextInt(EDGE_BYTES.length)] : (byte) r.nextInt();
    }
}
