package dev.scout.dht.bencode;

import static dev.scout.dht.bencode.BencodeTestSupport.normalize;
import static dev.scout.dht.bencode.BencodeTestSupport.raw;
import static dev.scout.dht.bencode.BencodeTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BencodeTest {

    private static Object decode(String wire) throws BencodeException {
        return Bencode.decode(raw(wire), BencodeLimits.KRPC);
    }

    private static String encode(Object value) {
        return text(Bencode.encode(value));
    }

    @Nested
    class ByteStrings {
        @Test
        void encodesLengthPrefixedBytes() {
            assertThat(encode(raw("spam"))).isEqualTo("4:spam");
            assertThat(encode(new byte[0])).isEqualTo("0:");
            assertThat(encode(new byte[] {0, (byte) 0xFF, ':', 'e'})).isEqualTo("4:\u0000\u00ff:e");
        }

        @Test
        void encodesJavaStringsAsUtf8() {
            // "é" is one char but two UTF-8 bytes.
            assertThat(encode("é")).isEqualTo("2:\u00c3\u00a9");
            assertThat(encode("spam")).isEqualTo("4:spam");
            assertThat(Bencode.bytes("é")).containsExactly(0xC3, 0xA9);
        }

        @Test
        void decodesToByteArrays() throws BencodeException {
            assertThat(decode("4:spam")).isInstanceOf(byte[].class).isEqualTo(raw("spam"));
            assertThat(decode("0:")).isInstanceOf(byte[].class).isEqualTo(new byte[0]);
            assertThat(decode("3:\u0000\u00ffe")).isEqualTo(new byte[] {0, (byte) 0xFF, 'e'});
        }

        @Test
        void decodesLengthOfTenAndMore() throws BencodeException {
            assertThat(decode("10:0123456789")).isEqualTo(raw("0123456789"));
        }
    }

    @Nested
    class Integers {
        @Test
        void encodesAllIntegralBoxes() {
            assertThat(encode(42L)).isEqualTo("i42e");
            assertThat(encode(0L)).isEqualTo("i0e");
            assertThat(encode(-42L)).isEqualTo("i-42e");
            assertThat(encode(7)).isEqualTo("i7e");
            assertThat(encode((short) -300)).isEqualTo("i-300e");
            assertThat(encode((byte) -128)).isEqualTo("i-128e");
            assertThat(encode(Long.MAX_VALUE)).isEqualTo("i9223372036854775807e");
            assertThat(encode(Long.MIN_VALUE)).isEqualTo("i-9223372036854775808e");
        }

        @Test
        void decodesToLong() throws BencodeException {
            assertThat(decode("i42e")).isEqualTo(42L);
            assertThat(decode("i0e")).isEqualTo(0L);
            assertThat(decode("i-1e")).isEqualTo(-1L);
            assertThat(decode("i9223372036854775807e")).isEqualTo(Long.MAX_VALUE);
        }

        @Test
        void longMinValueRoundTrips() throws BencodeException {
            // Regression: the decoder used to accumulate a positive magnitude, so the 64-bit minimum, which
            // encode() happily produces, was rejected as an overflow.
            assertThat(decode("i-9223372036854775808e")).isEqualTo(Long.MIN_VALUE);
            assertThat(Bencode.decode(Bencode.encode(Long.MIN_VALUE), BencodeLimits.KRPC)).isEqualTo(Long.MIN_VALUE);
            assertThat(decode("i-9223372036854775807e")).isEqualTo(Long.MIN_VALUE + 1);
        }
    }

    @Nested
    class Lists {
        @Test
        void encodesInOrder() {
            assertThat(encode(List.of(raw("spam"), 42L))).isEqualTo("l4:spami42ee");
            assertThat(encode(List.of(42L, raw("spam")))).isEqualTo("li42e4:spame");
            assertThat(encode(List.of())).isEqualTo("le");
            assertThat(encode(List.of(List.of(), List.of(List.of())))).isEqualTo("llelleee");
        }

        @Test
        void decodesToUnmodifiableList() throws BencodeException {
            Object v = decode("l4:spami42elee");
            assertThat(v).isInstanceOf(List.class);
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) v;
            assertThat(list).hasSize(3);
            assertThat(list.get(0)).isEqualTo(raw("spam"));
            assertThat(list.get(1)).isEqualTo(42L);
            assertThat(list.get(2)).isEqualTo(List.of());
            assertThatThrownBy(() -> list.add(1L)).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Nested
    class Dictionaries {
        @Test
        void encodesSortedRegardlessOfInsertionOrder() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("spam", raw("eggs"));
            m.put("cow", raw("moo"));
            assertThat(encode(m)).isEqualTo("d3:cow3:moo4:spam4:eggse");

            Map<String, Object> h = new HashMap<>(m);
            assertThat(encode(h)).isEqualTo("d3:cow3:moo4:spam4:eggse");
            assertThat(encode(Map.of())).isEqualTo("de");
        }

        @Test
        void shorterPrefixSortsFirst() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ab", 2L);
            m.put("a", 1L);
            assertThat(encode(m)).isEqualTo("d1:ai1e2:abi2ee");
        }

        @Test
        void keysSortByUnsignedRawBytes() {
            // As signed Java bytes 0x80 and 0xFF would sort before 'a'; bencode requires unsigned order.
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("\u00ff", 3L);
            m.put("\u0080", 2L);
            m.put("z", 1L);
            m.put("\u0000", 0L);
            assertThat(encode(m)).isEqualTo("d1:\u0000i0e1:zi1e1:\u0080i2e1:\u00ffi3ee");
        }

        @Test
        void treeMapWithForeignComparatorIsResorted() {
            TreeMap<String, Object> reversed = new TreeMap<>(Comparator.reverseOrder());
            reversed.put("a", 1L);
            reversed.put("b", 2L);
            assertThat(encode(reversed)).isEqualTo("d1:ai1e1:bi2ee");
        }

        @Test
        void treeMapWithNaturalOrderIsWrittenInOrder() {
            TreeMap<String, Object> natural = new TreeMap<>();
            natural.put("b", 2L);
            natural.put("a", 1L);
            assertThat(encode(natural)).isEqualTo("d1:ai1e1:bi2ee");
        }

        @Test
        void keysAreWrittenAsIso88591Bytes() {
            // A key char c ≤ 0xFF is the single byte c, unlike string values, which are UTF-8.
            assertThat(encode(Map.of("é", raw("x")))).isEqualTo("d1:\u00e91:xe");
        }

        @Test
        void decodesToUnmodifiableSortedMap() throws BencodeException {
            Object v = decode("d3:cow3:moo4:spam4:eggse");
            assertThat(v).isInstanceOf(Map.class);
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) v;
            assertThat(map.keySet()).containsExactly("cow", "spam");
            assertThat(map.get("cow")).isEqualTo(raw("moo"));
            assertThat(map.get("spam")).isEqualTo(raw("eggs"));
            assertThatThrownBy(() -> map.put("x", 1L)).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void decodedBinaryKeysKeepEveryByte() throws BencodeException {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) decode("d1:\u0000i0e1:ai1e2:\u0080\u00ffi2ee");
            assertThat(map.keySet()).containsExactly("\u0000", "a", "\u0080\u00ff");
            assertThat(Bencode.key(map.keySet().toArray(new String[0])[2])).containsExactly(0x80, 0xFF);
        }

        @Test
        void decodedMapReencodesIdentically() throws BencodeException {
            String wire = "d1:ad2:id3:abc1:xli1ei-2eee1:q4:ping1:\u0080dee";
            assertThat(encode(decode(wire))).isEqualTo(wire);
        }
    }

    @Nested
    class Keys {
        @Test
        void everyByteSurvivesKeyConversion() {
            byte[] all = new byte[256];
            for (int i = 0; i < 256; i++) {
                all[i] = (byte) i;
            }
            String k = Bencode.key(all);
            assertThat(k).hasSize(256);
            for (int i = 0; i < 256; i++) {
                assertThat((int) k.charAt(i)).isEqualTo(i);
            }
            assertThat(Bencode.key(k)).isEqualTo(all);
        }

        @Test
        void keyAboveLatin1IsRejected() {
            assertThatThrownBy(() -> Bencode.key("\u0100")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Bencode.encode(Map.of("k\u20ac", 1L)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class DictHelper {
        @Test
        void buildsSortedDictionary() {
            Map<String, Object> d = Bencode.dict("y", Bencode.bytes("q"), "t", Bencode.bytes("aa"), "q", "ping");
            assertThat(d.keySet()).containsExactly("q", "t", "y");
            assertThat(encode(d)).isEqualTo("d1:q4:ping1:t2:aa1:y1:qe");
        }

        @Test
        void leavesOutNullValues() {
            Map<String, Object> d = Bencode.dict("a", 1L, "b", null, "c", 3L);
            assertThat(d).containsOnlyKeys("a", "c");
            assertThat(encode(d)).isEqualTo("d1:ai1e1:ci3ee");
            assertThat(encode(Bencode.dict("a", null))).isEqualTo("de");
        }

        @Test
        void emptyHelperIsEmptyDict() {
            assertThat(encode(Bencode.dict())).isEqualTo("de");
        }

        @Test
        void oddArgumentCountIsRejected() {
            assertThatThrownBy(() -> Bencode.dict("a")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Bencode.dict("a", 1L, "b")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Raw {
        @Test
        void writtenVerbatim() {
            RawValue v = new RawValue(raw("d3:seqi1e1:v4:spame"));
            assertThat(encode(v)).isEqualTo("d3:seqi1e1:v4:spame");
            assertThat(encode(Bencode.dict("v", v, "a", 1L))).isEqualTo("d1:ai1e1:vd3:seqi1e1:v4:spamee");
            assertThat(encode(List.of(v, v))).isEqualTo("ld3:seqi1e1:v4:spamed3:seqi1e1:v4:spamee");
        }

        @Test
        void notReencodedEvenIfNonCanonical() {
            // Raw bytes are covered by signatures, so the codec must not "fix" them.
            assertThat(encode(List.of(new RawValue(raw("d1:bi1e1:ai2ee"))))).isEqualTo("ld1:bi1e1:ai2eee");
            assertThat(encode(new RawValue(new byte[0]))).isEmpty();
        }

        @Test
        void copiesDefensively() {
            byte[] source = raw("i1e");
            RawValue v = new RawValue(source);
            source[1] = '9';
            byte[] view = v.bytes();
            view[1] = '8';
            assertThat(encode(v)).isEqualTo("i1e");
        }
    }

    @Nested
    class Unsupported {
        @ParameterizedTest
        @ValueSource(strings = {"double", "float", "bigInteger", "boolean", "character", "object", "intArray"})
        void rejectedAtTopLevel(String kind) {
            Object value = switch (kind) {
                case "double" -> 1.0;
                case "float" -> 1.0f;
                case "bigInteger" -> BigInteger.ONE;
                case "boolean" -> true;
                case "character" -> 'c';
                case "object" -> new Object();
                case "intArray" -> new int[] {1};
                default -> throw new AssertionError(kind);
            };
            assertThatThrownBy(() -> Bencode.encode(value))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(value.getClass().getName());
        }

        @Test
        void nullIsRejected() {
            assertThatThrownBy(() -> Bencode.encode(null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("null");
        }

        @Test
        void rejectedWhenNested() {
            assertThatThrownBy(() -> Bencode.encode(List.of(1L, List.of(2.5))))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Bencode.encode(Map.of("a", Map.of("b", true))))
                    .isInstanceOf(IllegalArgumentException.class);
            List<Object> withNull = new ArrayList<>(Arrays.asList(1L, null));
            assertThatThrownBy(() -> Bencode.encode(withNull)).isInstanceOf(IllegalArgumentException.class);
            Map<String, Object> nullValue = new HashMap<>();
            nullValue.put("a", null);
            assertThatThrownBy(() -> Bencode.encode(nullValue)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void nonStringKeysAreRejected() {
            assertThatThrownBy(() -> Bencode.encode(Map.of(1, 2L))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Bencode.encode(Map.of(raw("k"), 2L)))
                    .isInstanceOf(IllegalArgumentException.class);
            TreeMap<Integer, Object> naturalIntKeys = new TreeMap<>();
            naturalIntKeys.put(1, 1L);
            assertThatThrownBy(() -> Bencode.encode(naturalIntKeys)).isInstanceOf(IllegalArgumentException.class);
            Map<String, Object> nullKey = new HashMap<>();
            nullKey.put(null, 1L);
            assertThatThrownBy(() -> Bencode.encode(nullKey)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void writeAppendsToExistingStream() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(raw("prefix|"));
        Bencode.write(out, List.of(1L));
        Bencode.write(out, raw("x"));
        assertThat(text(out.toByteArray())).isEqualTo("prefix|li1ee1:x");
    }

    @Test
    void decodeHonoursOffsetAndLength() throws BencodeException {
        byte[] framed = raw("xxl4:spami42eeyy");
        Object v = Bencode.decode(framed, 2, 12, BencodeLimits.KRPC);
        assertThat(normalize(v)).isEqualTo(normalize(List.of(raw("spam"), 42L)));
    }

    @Test
    void nestedStructureRoundTrips() throws BencodeException {
        Map<String, Object> value = Bencode.dict(
                "list", List.of(1L, raw(""), List.of(), Collections.emptyMap()),
                "dict", Bencode.dict("\u00ff", raw("\u0000\u0001"), "n", -5L),
                "str", raw("hello"));
        byte[] wire = Bencode.encode(value);
        assertThat(text(wire)).isEqualTo("d4:dictd1:ni-5e1:\u00ff2:\u0000\u0001e4:listli1e0:ledee3:str5:helloe");
        assertThat(normalize(Bencode.decode(wire, BencodeLimits.KRPC))).isEqualTo(normalize(value));
    }
}
