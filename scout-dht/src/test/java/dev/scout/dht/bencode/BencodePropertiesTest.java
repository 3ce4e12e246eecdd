package dev.scout.dht.bencode;

import static dev.scout.dht.bencode.BencodeTestSupport.LOOSE;
import static dev.scout.dht.bencode.BencodeTestSupport.normalize;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.scout.testkit.RandomCases;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class BencodePropertiesTest {

    // ---- generators ----------------------------------------------------------------------------------------

    private static byte[] byteStrings(Random r) {
        return RandomCases.bytes(r, 0, 40);
    }

    /** Binary keys: any bytes, including empty, 0x00 and ≥ 0x80, as the ISO-8859-1 strings the codec uses. */
    private static String keys(Random r) {
        return Bencode.key(RandomCases.bytes(r, 0, 6));
    }

    private static Object leaves(Random r) {
        return switch (r.nextInt(3)) {
            case 0 -> byteStrings(r);
            // Full 64-bit range; edge cases include Long.MIN_VALUE, MIN_VALUE+1, -1, 0, 1, MAX_VALUE.
            case 1 -> RandomCases.longs(r);
            default -> RandomCases.longs(r, -1000, 1000);
        };
    }

    /** A value nested up to five levels deep: each level is the inner value, a list of it or a dict of it. */
    static Object values(Random r) {
        return value(r, r.nextInt(6));
    }

    private static Object value(Random r, int depth) {
        if (depth == 0) {
            return leaves(r);
        }
        switch (r.nextInt(3)) {
            case 0:
                return value(r, depth - 1);
            case 1: {
                List<Object> list = new ArrayList<>();
                for (int i = RandomCases.sizes(r, 0, 4); i > 0; i--) {
                    list.add(value(r, depth - 1));
                }
                return list;
            }
            default: {
                Map<String, Object> map = new HashMap<>();
                for (int i = RandomCases.sizes(r, 0, 4); i > 0; i--) {
                    map.put(keys(r), value(r, depth - 1));
                }
                return map;
            }
        }
    }

    /** Canonical encodings of arbitrary values. */
    static byte[] canonical(Random r) {
        return Bencode.encode(values(r));
    }

    private static final byte[] SYNTAX = "ilde0129:-".getBytes(StandardCharsets.US_ASCII);

    /** Mostly bytes that mean something in bencode, sometimes any byte. */
    private static byte syntaxOrAnyByte(Random r, int syntaxWeight) {
        return r.nextInt(syntaxWeight + 1) < syntaxWeight ? SYNTAX[r.nextInt(SYNTAX.length)] : RandomCases.anyByte(r);
    }

    /** Bytes that are mostly bencode syntax, so the fuzzing reaches past the first byte. */
    static byte[] bencodeish(Random r) {
        byte[] b = new byte[RandomCases.sizes(r, 0, 200)];
        for (int i = 0; i < b.length; i++) {
            b[i] = syntaxOrAnyByte(r, 9);
        }
        return b;
    }

    /** A valid encoding with one byte replaced, one removed or one inserted. */
    static byte[] mutated(Random r) {
        byte[] wire = canonical(r);
        int kind = r.nextInt(3);
        int where = RandomCases.ints(r, 0, Integer.MAX_VALUE);
        byte b = syntaxOrAnyByte(r, 3);
        int i = where % (wire.length + 1);
        switch (kind) {
            case 0 -> {
                if (i == wire.length) {
                    return wire;
                }
                byte[] out = wire.clone();
                out[i] = b;
                return out;
            }
            case 1 -> {
                if (i == wire.length) {
                    return Arrays.copyOf(wire, wire.length - 1);
                }
                byte[] out = new byte[wire.length - 1];
                System.arraycopy(wire, 0, out, 0, i);
                System.arraycopy(wire, i + 1, out, i, wire.length - i - 1);
                return out;
            }
            default -> {
                byte[] out = new byte[wire.length + 1];
                System.arraycopy(wire, 0, out, 0, i);
                out[i] = b;
                System.arraycopy(wire, i, out, i + 1, wire.length - i);
                return out;
            }
        }
    }

    /** Values a generator must not miss: extreme integers, empty strings, lists and dicts, binary keys. */
    private static final List<Object> FIXED_VALUES = List.of(0L, -1L, 1L, Long.MIN_VALUE, Long.MIN_VALUE + 1,
            Long.MAX_VALUE, new byte[0], new byte[40], List.of(), Map.of(), List.of(List.of(List.of(List.of(List.of())))),
            Map.of("", new byte[0], Bencode.key(new byte[] {0, (byte) 0xFF}), List.of(Long.MIN_VALUE)));

    private static final List<byte[]> FIXED_CANONICAL = FIXED_VALUES.stream().map(Bencode::encode).toList();

    // ---- round trips -------------------------------------------------------------------------------------

    @Test
    void decodeInvertsEncode() {
        RandomCases.forAll(FIXED_VALUES, 1000, BencodePropertiesTest::values, value -> {
            byte[] wire = Bencode.encode(value);
            assertThat(normalize(Bencode.decode(wire, LOOSE))).isEqualTo(normalize(value));
        });
    }

    @Test
    void encodeInvertsDecodeOnCanonicalInput() {
        RandomCases.forAll(FIXED_CANONICAL, 1000, BencodePropertiesTest::canonical,
                wire -> assertThat(Bencode.encode(Bencode.decode(wire, LOOSE))).isEqualTo(wire));
    }

    private record Framed(byte[] wire, byte[] before, byte[] after) {
    }

    @Test
    void decodeIgnoresSurroundingBytes() {
        List<Framed> fixed = FIXED_CANONICAL.stream().flatMap(w -> Stream.of(new Framed(w, new byte[0], new byte[0]),
                new Framed(w, new byte[8], new byte[8]), new Framed(w, "i1e".getBytes(StandardCharsets.US_ASCII),
                        "4:spam".getBytes(StandardCharsets.US_ASCII)))).toList();
        RandomCases.forAll(fixed, 500,
                r -> new Framed(canonical(r), RandomCases.bytes(r, 0, 8), RandomCases.bytes(r, 0, 8)), c -> {
                    byte[] wire = c.wire();
                    byte[] before = c.before();
                    byte[] after = c.after();
                    byte[] framed = new byte[before.length + wire.length + after.length];
                    System.arraycopy(before, 0, framed, 0, before.length);
                    System.arraycopy(wire, 0, framed, before.length, wire.length);
                    System.arraycopy(after, 0, framed, before.length + wire.length, after.length);
                    Object framedValue = Bencode.decode(framed, before.length, wire.length, LOOSE);
                    assertThat(normalize(framedValue)).isEqualTo(normalize(Bencode.decode(wire, LOOSE)));
                });
    }

    @Test
    void everyLongRoundTrips() {
        List<Long> fixed = List.of(0L, 1L, -1L, 9L, 10L, -10L, Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1,
                Long.MAX_VALUE, (long) Integer.MIN_VALUE, (long) Integer.MAX_VALUE);
        RandomCases.forAll(fixed, 1000, RandomCases::longs, n -> {
            byte[] wire = Bencode.encode(n);
            assertThat(new String(wire, StandardCharsets.US_ASCII)).isEqualTo("i" + n + "e");
            assertThat(Bencode.decode(wire, BencodeLimits.KRPC)).isEqualTo(n);
        });
    }

    @Test
    void dictionaryKeysComeOutInUnsignedByteOrder() {
        List<Map<String, Object>> fixed = List.of(Map.of(), Map.of("", 1L, Bencode.key(new byte[] {0}), 2L,
                Bencode.key(new byte[] {(byte) 0x80}), 3L, Bencode.key(new byte[] {(byte) 0xFF, 0}), 4L, "a", 5L));
        RandomCases.forAll(fixed, 200, BencodePropertiesTest::dicts, map -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> back = (Map<String, Object>) Bencode.decode(Bencode.encode(map), LOOSE);
            List<byte[]> keys = back.keySet().stream().map(Bencode::key).toList();
            for (int i = 1; i < keys.size(); i++) {
                assertThat(Arrays.compareUnsigned(keys.get(i - 1), keys.get(i))).as("key %d", i).isNegative();
            }
            assertThat(back.keySet()).containsExactlyInAnyOrderElementsOf(map.keySet());
        });
    }

    private static Map<String, Object> dicts(Random r) {
        Map<String, Object> map = new HashMap<>();
        for (int i = RandomCases.sizes(r, 0, 12); i > 0; i--) {
            map.put(keys(r), leaves(r));
        }
        return map;
    }

    // ---- hostile input -----------------------------------------------------------------------------------

    /** Decodes and checks the only allowed outcomes: a canonical value, or a BencodeException within bounds. */
    private static void decodesOrFailsCleanly(byte[] data, int offset, int length, BencodeLimits limits) {
        Object value;
        try {
            value = Bencode.decode(data, offset, length, limits);
        } catch (BencodeException e) {
            assertThat(e.position()).as(e.getMessage()).isBetween(0, length);
            return;
        } catch (Throwable t) {
            fail("decode threw " + t + " instead of BencodeException", t);
            return;
        }
        // Only canonical input is accepted, so anything accepted re-encodes to exactly the input.
        assertThat(Bencode.encode(value)).isEqualTo(Arrays.copyOfRange(data, offset, offset + length));
    }

    /** Empty and truncated input, and prefixes that promise more than they hold. */
    private static final List<byte[]> FIXED_HOSTILE = Stream.of("", "i", "ie", "i-0e", "i01e", "-1:", "l", "d",
            "1:", "99999999999999999999:", "i9223372036854775808e", "i-9223372036854775809e", "de", "le", "d1:a")
            .map(t -> t.getBytes(StandardCharsets.US_ASCII)).toList();

    @Test
    void randomBytesFailOnlyWithBencodeException() {
        RandomCases.forAll(Stream.concat(FIXED_HOSTILE.stream(), Stream.of(new byte[300])).toList(), 3000,
                r -> RandomCases.bytes(r, 0, 300), data -> decodesOrFailsCleanly(data, 0, data.length, BencodeLimits.KRPC));
    }

    @Test
    void bencodeLikeBytesFailOnlyWithBencodeException() {
        RandomCases.forAll(FIXED_HOSTILE, 5000, BencodePropertiesTest::bencodeish, data -> {
            decodesOrFailsCleanly(data, 0, data.length, BencodeLimits.KRPC);
            decodesOrFailsCleanly(data, 0, data.length, new BencodeLimits(3, 10, 1000));
        });
    }

    @Test
    void mutatedEncodingsFailOnlyWithBencodeException() {
        RandomCases.forAll(1500, BencodePropertiesTest::mutated,
                data -> decodesOrFailsCleanly(data, 0, data.length, LOOSE));
    }

    private record Skipped(byte[] data, int skip) {
    }

    @Test
    void positionsAreRelativeToOffset() {
        List<Skipped> fixed = FIXED_HOSTILE.stream().flatMap(d -> Stream.of(new Skipped(d, 0), new Skipped(d, 1),
                new Skipped(d, 20))).toList();
        RandomCases.forAll(fixed, 1000, r -> new Skipped(bencodeish(r), RandomCases.ints(r, 0, 20)), c -> {
            byte[] data = c.data();
            int offset = Math.min(c.skip(), data.length);
            decodesOrFailsCleanly(data, offset, data.length - offset, BencodeLimits.KRPC);
        });
    }
}
