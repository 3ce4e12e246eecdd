package dev.scout.dht.bencode;

import static dev.scout.dht.bencode.BencodeTestSupport.LOOSE;
import static dev.scout.dht.bencode.BencodeTestSupport.normalize;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class BencodePropertiesTest {

    // ---- generators ----------------------------------------------------------------------------------------

    private static Arbitrary<byte[]> byteStrings() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
    }

    /** Binary keys: any bytes, including empty, 0x00 and ≥ 0x80, as the ISO-8859-1 strings the codec uses. */
    private static Arbitrary<String> keys() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(6).map(Bencode::key);
    }

    private static Arbitrary<Object> leaves() {
        return Arbitraries.oneOf(
                byteStrings(),
                // Full 64-bit range; edge cases include Long.MIN_VALUE, MIN_VALUE+1, -1, 0, 1, MAX_VALUE.
                Arbitraries.longs(),
                Arbitraries.longs().between(-1000, 1000));
    }

    @Provide
    Arbitrary<Object> values() {
        return Arbitraries.recursive(
                BencodePropertiesTest::leaves,
                inner -> Arbitraries.oneOf(
                        inner,
                        inner.list().ofMaxSize(4).map(l -> (Object) l),
                        Arbitraries.maps(keys(), inner).ofMaxSize(4).map(m -> (Object) m)),
                0, 5);
    }

    /** Canonical encodings of arbitrary values. */
    @Provide
    Arbitrary<byte[]> canonical() {
        return values().map(Bencode::encode);
    }

    /** Mostly bytes that mean something in bencode, sometimes any byte. */
    private static Arbitrary<Byte> syntaxOrAnyByte(int syntaxWeight) {
        Arbitrary<Byte> syntax = Arbitraries.of('i', 'l', 'd', 'e', '0', '1', '2', '9', ':', '-')
                .map(c -> (byte) c.charValue());
        return Arbitraries.frequencyOf(Tuple.of(syntaxWeight, syntax), Tuple.of(1, Arbitraries.bytes()));
    }

    /** Bytes that are mostly bencode syntax, so the fuzzing reaches past the first byte. */
    @Provide
    Arbitrary<byte[]> bencodeish() {
        return syntaxOrAnyByte(9).array(byte[].class).ofMaxSize(200);
    }

    /** A valid encoding with one byte replaced, one removed or one inserted. */
    @Provide
    Arbitrary<byte[]> mutated() {
        return Combinators.combine(canonical(), Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().greaterOrEqual(0), syntaxOrAnyByte(3))
                .as((wire, kind, where, b) -> {
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
                });
    }

    // ---- round trips -------------------------------------------------------------------------------------

    @Property(tries = 1000)
    void decodeInvertsEncode(@ForAll("values") Object value) throws BencodeException {
        byte[] wire = Bencode.encode(value);
        assertThat(normalize(Bencode.decode(wire, LOOSE))).isEqualTo(normalize(value));
    }

    @Property(tries = 1000)
    void encodeInvertsDecodeOnCanonicalInput(@ForAll("canonical") byte[] wire) throws BencodeException {
        assertThat(Bencode.encode(Bencode.decode(wire, LOOSE))).isEqualTo(wire);
    }

    @Property(tries = 500)
    void decodeIgnoresSurroundingBytes(@ForAll("canonical") byte[] wire,
                                       @ForAll @Size(max = 8) byte[] before,
                                       @ForAll @Size(max = 8) byte[] after) throws BencodeException {
        byte[] framed = new byte[before.length + wire.length + after.length];
        System.arraycopy(before, 0, framed, 0, before.length);
        System.arraycopy(wire, 0, framed, before.length, wire.length);
        System.arraycopy(after, 0, framed, before.length + wire.length, after.length);
        Object framedValue = Bencode.decode(framed, before.length, wire.length, LOOSE);
        assertThat(normalize(framedValue)).isEqualTo(normalize(Bencode.decode(wire, LOOSE)));
    }

    @Property(tries = 1000)
    void everyLongRoundTrips(@ForAll long n) throws BencodeException {
        byte[] wire = Bencode.encode(n);
        assertThat(new String(wire, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("i" + n + "e");
        assertThat(Bencode.decode(wire, BencodeLimits.KRPC)).isEqualTo(n);
    }

    @Property(tries = 200)
    void dictionaryKeysComeOutInUnsignedByteOrder(@ForAll("dicts") Map<String, Object> map) throws BencodeException {
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) Bencode.decode(Bencode.encode(map), LOOSE);
        List<byte[]> keys = back.keySet().stream().map(Bencode::key).toList();
        for (int i = 1; i < keys.size(); i++) {
            assertThat(Arrays.compareUnsigned(keys.get(i - 1), keys.get(i))).isNegative();
        }
        assertThat(back.keySet()).containsExactlyInAnyOrderElementsOf(map.keySet());
    }

    @Provide
    Arbitrary<Map<String, Object>> dicts() {
        return Arbitraries.maps(keys(), leaves()).ofMaxSize(12);
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

    @Property(tries = 3000)
    void randomBytesFailOnlyWithBencodeException(@ForAll @Size(max = 300) byte[] data) {
        decodesOrFailsCleanly(data, 0, data.length, BencodeLimits.KRPC);
    }

    @Property(tries = 5000)
    void bencodeLikeBytesFailOnlyWithBencodeException(@ForAll("bencodeish") byte[] data) {
        decodesOrFailsCleanly(data, 0, data.length, BencodeLimits.KRPC);
        decodesOrFailsCleanly(data, 0, data.length, new BencodeLimits(3, 10, 1000));
    }

    @Property(tries = 1500)
    void mutatedEncodingsFailOnlyWithBencodeException(@ForAll("mutated") byte[] data) {
        decodesOrFailsCleanly(data, 0, data.length, LOOSE);
    }

    @Property(tries = 1000)
    void positionsAreRelativeToOffset(@ForAll("bencodeish") byte[] data, @ForAll @IntRange(max = 20) int skip) {
        int offset = Math.min(skip, data.length);
        decodesOrFailsCleanly(data, offset, data.length - offset, BencodeLimits.KRPC);
    }
}
