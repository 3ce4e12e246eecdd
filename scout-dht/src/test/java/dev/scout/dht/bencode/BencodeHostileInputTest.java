package dev.scout.dht.bencode;

import static dev.scout.dht.bencode.BencodeTestSupport.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BencodeHostileInputTest {

    private static final Duration FAST = Duration.ofSeconds(2);

    /** Decoding {@code data} must fail with a BencodeException; returns it. */
    private static BencodeException reject(byte[] data, BencodeLimits limits) {
        Throwable t = catchThrowable(() -> Bencode.decode(data, limits));
        assertThat(t).as("decoding %d bytes", data.length).isInstanceOf(BencodeException.class);
        BencodeException e = (BencodeException) t;
        assertThat(e.position()).isBetween(0, data.length);
        assertThat(e).hasMessageEndingWith(" at byte " + e.position());
        return e;
    }

    private static BencodeException reject(String wire) {
        return reject(raw(wire), BencodeLimits.KRPC);
    }

    private static byte[] repeat(String unit, int times) {
        return raw(unit.repeat(times));
    }

    // ---- non-canonical and malformed forms, with the exact offending offset ------------------------------

    @ParameterizedTest(name = "{0} -> byte {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        // input                   | pos | message
        "i03e                      | 1   | leading zero",
        "i00e                      | 1   | leading zero",
        "i-03e                     | 2   | leading zero",
        "i-0e                      | 2   | negative zero",
        "i-e                       | 2   | missing digits",
        "ie                        | 1   | missing digits",
        "i--1e                     | 2   | expected digit or 'e'",
        "i+1e                      | 1   | expected digit or 'e'",
        "i1.5e                     | 2   | expected digit or 'e'",
        "i1-e                      | 2   | expected digit or 'e'",
        "03:abc                    | 0   | leading zero",
        "00:                       | 0   | leading zero",
        "l1:a03:abce               | 4   | leading zero",
        "1a:x                      | 1   | expected digit or ':'",
        "-1:a                      | 0   | unexpected byte 0x2d",
        "d1:bi1e1:ai2ee            | 7   | dictionary keys not sorted",
        "d1:ad1:bi1e1:ai2eee       | 11  | dictionary keys not sorted",
        "d2:abi1e1:ai2ee           | 8   | dictionary keys not sorted",
        "d1:ai1e1:ai2ee            | 7   | duplicate dictionary key",
        "d0:i1e0:i2ee              | 6   | duplicate dictionary key",
        "di1ei2ee                  | 1   | dictionary key must be a byte string",
        "dlei2ee                   | 1   | dictionary key must be a byte string",
        "d1:adi1ei2eee             | 5   | dictionary key must be a byte string",
        "d1:ae                     | 4   | unexpected byte 0x65",
        "i1ei2e                    | 3   | trailing data after value",
        "i1ee                      | 3   | trailing data after value",
        "dele                      | 2   | trailing data after value",
        "e                         | 0   | unexpected byte 0x65",
        "x                         | 0   | unexpected byte 0x78",
        "i9223372036854775808e     | 19  | integer overflows 64 bits",
        "i-9223372036854775809e    | 20  | integer overflows 64 bits",
        "i10000000000000000000e    | 20  | integer overflows 64 bits",
        "i99999999999999999999e    | 19  | integer overflows 64 bits",
    })
    void rejectedAtOffendingByte(String input, int position, String message) {
        BencodeException e = reject(input);
        assertThat(e.position()).as(e.getMessage()).isEqualTo(position);
        assertThat(e).hasMessageStartingWith(message);
    }

    @Test
    void keysCompareAsUnsignedBytes() throws BencodeException {
        // 0x80 sorts after 'a'; a signed comparison would get both of these wrong.
        assertThat(Bencode.decode(raw("d1:ai1e1:\u0080i2ee"), BencodeLimits.KRPC)).isNotNull();
        BencodeException e = reject("d1:\u0080i1e1:ai2ee");
        assertThat(e.position()).isEqualTo(7);
        assertThat(e).hasMessageStartingWith("dictionary keys not sorted");
    }

    @Test
    void boundaryIntegersAreAccepted() throws BencodeException {
        assertThat(Bencode.decode(raw("i9223372036854775807e"), BencodeLimits.KRPC)).isEqualTo(Long.MAX_VALUE);
        assertThat(Bencode.decode(raw("i-9223372036854775808e"), BencodeLimits.KRPC)).isEqualTo(Long.MIN_VALUE);
        assertThat(Bencode.decode(raw("i0e"), BencodeLimits.KRPC)).isEqualTo(0L);
        assertThat(Bencode.decode(raw("i10e"), BencodeLimits.KRPC)).isEqualTo(10L);
    }

    @Test
    void positionsAreRelativeToTheSlice() {
        byte[] framed = raw("xxi03eyy");
        Throwable t = catchThrowable(() -> Bencode.decode(framed, 2, 4, BencodeLimits.KRPC));
        assertThat(t).isInstanceOf(BencodeException.class);
        assertThat(((BencodeException) t).position()).isEqualTo(1);

        Throwable trailing = catchThrowable(() -> Bencode.decode(raw("__i1ei2e__"), 2, 6, BencodeLimits.KRPC));
        assertThat(((BencodeException) trailing).position()).isEqualTo(3);
    }

    // ---- empty and truncated input -----------------------------------------------------------------------

    @Test
    void emptyInputIsRejected() {
        BencodeException e = reject(new byte[0], BencodeLimits.KRPC);
        assertThat(e.position()).isZero();
        assertThat(e).hasMessageStartingWith("unexpected end of input");

        Throwable slice = catchThrowable(() -> Bencode.decode(raw("i1e"), 1, 0, BencodeLimits.KRPC));
        assertThat(slice).isInstanceOf(BencodeException.class);
        assertThat(((BencodeException) slice).position()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe",
        "d1:rd2:id20:abcdefghij01234567895:token8:aoeusnth6:valuesl6:axje.u6:idhtnmee1:t2:aa1:y1:re",
        "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz1234564:porti6881e5:token8:aoeusnthe"
                + "1:q13:announce_peer1:t2:aa1:y1:qe",
        "d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee",
        "d0:de1:ali-9223372036854775808ei0elleee1:b10:01234567891:ci42ee",
    })
    void everyTruncationIsRejected(String wire) throws BencodeException {
        byte[] full = raw(wire);
        assertThat(Bencode.decode(full, BencodeLimits.KRPC)).isNotNull();
        for (int n = 0; n < full.length; n++) {
            byte[] prefix = Arrays.copyOf(full, n);
            BencodeException e = reject(prefix, BencodeLimits.KRPC);
            // A prefix of a valid value can only run out of input: either the decoder hits the end (reported at
            // the end), or a string's declared length overruns it (reported at that length's first digit).
            if (e.position() != n) {
                assertThat(e).as("prefix %d", n).hasMessageStartingWith("string length");
                assertThat(prefix[e.position()]).as("prefix %d", n).isBetween((byte) '1', (byte) '9');
            } else {
                assertThat(e).as("prefix %d", n).hasMessageStartingWith("unexpected end of input");
            }
        }
    }

    @Test
    void truncationWithoutStringsIsReportedAtTheEnd() {
        byte[] full = raw("li1eli-22edei333ee");
        for (int n = 0; n < full.length; n++) {
            assertThat(reject(Arrays.copyOf(full, n), BencodeLimits.KRPC).position()).isEqualTo(n);
        }
    }

    @Test
    void truncatedStringIsReportedAtItsLength() {
        BencodeException e = reject("l3:abc10:short");
        assertThat(e.position()).isEqualTo(6);
        assertThat(e).hasMessageStartingWith("string length 10 exceeds remaining input");
    }

    // ---- huge length prefixes ----------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "99999999999:x          | 0  | string length 99999999999 exceeds remaining input",
        "2147483648:            | 0  | string length 2147483648 exceeds remaining input",
        "2147483647:abc         | 0  | string length 2147483647 exceeds remaining input",
        "9223372036854775807:   | 0  | string length 9223372036854775807 exceeds remaining input",
        "99999999999999999999:  | 18 | integer overflows 64 bits",
        "l4294967296:xe         | 1  | string length 4294967296 exceeds remaining input",
        "d1:a2147483648:e       | 4  | string length 2147483648 exceeds remaining input",
        "d99999999999:ai1ee     | 1  | string length 99999999999 exceeds remaining input",
    })
    void hugeLengthPrefixFailsFastWithoutAllocating(String input, int position, String message) {
        byte[] data = raw(input);
        reject(data, BencodeLimits.KRPC); // warm up: load classes before measuring
        long allocated = assertTimeout(FAST, () -> {
            long before = allocatedBytes();
            BencodeException e = reject(data, BencodeLimits.KRPC);
            long used = allocatedBytes() - before;
            assertThat(e.position()).isEqualTo(position);
            assertThat(e).hasMessageStartingWith(message);
            return used;
        });
        // A decoder that allocated the declared length first would use gigabytes (or die trying).
        assertThat(allocated).isLessThan(1L << 20);
    }

    private static long allocatedBytes() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
        com.sun.management.ThreadMXBean sun = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(sun.isThreadAllocatedMemorySupported() && sun.isThreadAllocatedMemoryEnabled(),
                "per-thread allocation counter disabled");
        return sun.getCurrentThreadAllocatedBytes();
    }

    // ---- deep nesting ------------------------------------------------------------------------------------

    private static final int MILLION = 1_000_000;
    private static final BencodeLimits ONLY_DEPTH = new BencodeLimits(32, Integer.MAX_VALUE, Integer.MAX_VALUE);

    @Test
    void millionOpenListsHitTheDepthLimitNotTheStack() {
        byte[] data = repeat("l", MILLION);
        BencodeException e = assertTimeout(FAST, () -> reject(data, ONLY_DEPTH));
        assertThat(e.position()).isEqualTo(32);
        assertThat(e).hasMessageStartingWith("nesting deeper than 32");
    }

    @Test
    void millionBalancedListsHitTheDepthLimitNotTheStack() {
        byte[] data = raw("l".repeat(MILLION) + "e".repeat(MILLION));
        BencodeException e = assertTimeout(FAST, () -> reject(data, ONLY_DEPTH));
        assertThat(e.position()).isEqualTo(32);
    }

    @Test
    void millionNestedDictsHitTheDepthLimitNotTheStack() {
        byte[] data = repeat("d1:a", MILLION);
        BencodeException e = assertTimeout(FAST, () -> reject(data, ONLY_DEPTH));
        assertThat(e.position()).isEqualTo(32 * 4);
        assertThat(e).hasMessageStartingWith("nesting deeper than 32");
    }

    @Test
    void millionAlternatingListsAndDictsHitTheDepthLimit() {
        byte[] data = repeat("ld1:a", MILLION);
        BencodeException e = assertTimeout(FAST, () -> reject(data, ONLY_DEPTH));
        // 32 containers are "ld1:a" × 16 = 80 bytes; the 33rd container, an 'l', starts there.
        assertThat(e.position()).isEqualTo(80);
    }

    @Test
    void millionDeepUnderKrpcLimitsIsRejectedByLengthUpFront() {
        byte[] data = repeat("l", MILLION);
        BencodeException e = assertTimeout(FAST, () -> reject(data, BencodeLimits.KRPC));
        assertThat(e.position()).isZero();
        assertThat(e).hasMessageStartingWith("input of 1000000 bytes exceeds limit 65536");
    }

    @Test
    void maxDepthIsInclusive() throws BencodeException {
        Object ok = Bencode.decode(raw("l".repeat(32) + "e".repeat(32)), BencodeLimits.KRPC);
        assertThat(ok).isInstanceOf(List.class);
        BencodeException e = reject(raw("l".repeat(33) + "e".repeat(33)), BencodeLimits.KRPC);
        assertThat(e.position()).isEqualTo(32);

        BencodeLimits one = new BencodeLimits(1, 100, 100);
        assertThat(Bencode.decode(raw("li1e0:e"), one)).isInstanceOf(List.class);
        assertThat(reject(raw("llee"), one).position()).isEqualTo(1);
        assertThat(reject(raw("d1:adee"), one).position()).isEqualTo(4);
    }

    @Test
    void krpcSizedDeepInputFailsAtTheDepthLimit() {
        BencodeException e = reject(repeat("l", BencodeLimits.KRPC.maxLength()), BencodeLimits.KRPC);
        assertThat(e.position()).isEqualTo(32);
    }

    // ---- element-count and length limits -----------------------------------------------------------------

    @Test
    void elementLimitCountsEveryValue() throws BencodeException {
        BencodeLimits three = new BencodeLimits(32, 3, 1000);
        assertThat(Bencode.decode(raw("li1ei2ee"), three)).isEqualTo(List.of(1L, 2L));
        BencodeException e = reject(raw("li1ei2ei3ee"), three);
        assertThat(e.position()).isEqualTo(7);
        assertThat(e).hasMessageStartingWith("more than 3 values");

        BencodeLimits four = new BencodeLimits(32, 4, 1000);
        // Values: outer list, inner list, i1e, inner list, i2e -> the fifth starts at byte 7.
        assertThat(reject(raw("lli1eeli2eee"), four).position()).isEqualTo(7);
        assertThat(reject(raw("llelelelee"), four).position()).isEqualTo(7);
    }

    @Test
    void elementLimitBoundsDictionaries() {
        StringBuilder sb = new StringBuilder("d");
        for (char k = 'a'; k <= 'z'; k++) {
            sb.append("1:").append(k).append("i0e");
        }
        BencodeException e = reject(raw(sb.append('e').toString()), new BencodeLimits(32, 5, 1000));
        assertThat(e).hasMessageStartingWith("more than 5 values");
        // Never later than the value of the fifth entry (each entry is 6 bytes: "1:k" + "i0e").
        assertThat(e.position()).isLessThanOrEqualTo(1 + 4 * 6 + 3);
    }

    @Test
    void krpcElementLimitIsExact() throws BencodeException {
        int max = BencodeLimits.KRPC.maxElements();
        Object ok = Bencode.decode(raw("l" + "i0e".repeat(max - 1) + "e"), BencodeLimits.KRPC);
        assertThat((List<?>) ok).hasSize(max - 1);
        BencodeException e = reject(raw("l" + "i0e".repeat(max) + "e"), BencodeLimits.KRPC);
        assertThat(e.position()).isEqualTo(1 + (max - 1) * 3);
    }

    @Test
    void manyEmptyContainersHitTheElementLimitFast() {
        byte[] data = raw("l" + "le".repeat(MILLION) + "e");
        BencodeException e = assertTimeout(FAST,
                () -> reject(data, new BencodeLimits(32, 4096, Integer.MAX_VALUE)));
        assertThat(e.position()).isEqualTo(1 + 4095 * 2);
    }

    @Test
    void lengthLimitIsExactAndCheckedFirst() throws BencodeException {
        BencodeLimits ten = new BencodeLimits(32, 4096, 10);
        assertThat(Bencode.decode(raw("8:abcdefgh"), ten)).isEqualTo(raw("abcdefgh"));
        BencodeException e = reject(raw("9:abcdefghi"), ten);
        assertThat(e.position()).isZero();
        assertThat(e).hasMessageStartingWith("input of 11 bytes exceeds limit 10");
        // Checked before any parsing: garbage over the limit is reported as too long, not as garbage.
        assertThat(reject(raw("xxxxxxxxxxx"), ten)).hasMessageStartingWith("input of 11 bytes");
    }

    @Test
    void krpcLengthLimitIsExact() throws BencodeException {
        String atLimit = "65530:" + "x".repeat(65530);
        assertThat((byte[]) Bencode.decode(raw(atLimit), BencodeLimits.KRPC)).hasSize(65530);
        BencodeException e = reject(raw("65531:" + "x".repeat(65531)), BencodeLimits.KRPC);
        assertThat(e.position()).isZero();
    }

    @Test
    void lengthLimitAppliesToTheSliceNotTheArray() throws BencodeException {
        byte[] big = new byte[100];
        Arrays.fill(big, (byte) 'x');
        System.arraycopy(raw("i7e"), 0, big, 50, 3);
        assertThat(Bencode.decode(big, 50, 3, new BencodeLimits(32, 10, 3))).isEqualTo(7L);
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new BencodeLimits(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BencodeLimits(1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BencodeLimits(1, 1, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new BencodeLimits(1, 1, 1).maxDepth()).isEqualTo(1);
    }
}
