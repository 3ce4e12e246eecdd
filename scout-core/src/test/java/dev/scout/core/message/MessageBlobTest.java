package dev.scout.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scout.dht.FormatException;
import dev.scout.dht.LimitExceededException;
import java.nio.charset.StandardCharsets;
import dev.scout.testkit.RandomCases;
import java.util.List;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

class MessageBlobTest {

    private record Blob(byte[] next, byte[] message) {
    }

    /** Empty and largest arrays, first of all. */
    private static final List<byte[]> FIXED_GARBAGE = List.of(new byte[0], new byte[22], new byte[1100]);

    @Test
    void roundTrips() {
        byte[] ones = new byte[20];
        java.util.Arrays.fill(ones, (byte) -1);
        RandomCases.forAll(List.of(new Blob(new byte[20], new byte[0]), new Blob(ones, new byte[973])), 1000,
                r -> new Blob(RandomCases.bytes(r, 20), RandomCases.bytes(r, 0, 973)), c -> {
                    MessageBlob blob = new MessageBlob(MessageId.of(c.next()), c.message());
                    assertThat(MessageBlob.parse(blob.encode())).isEqualTo(blob);
                    assertThat(MessageBlob.parseBencodedValue(blob.bencodedValue())).isEqualTo(blob);
                    assertThat(blob.bencodedValue().length).isLessThanOrEqualTo(1000);
                    assertThat(blob.id()).isEqualTo(MessageId.ofValue(blob.bencodedValue()));
                });
    }

    @Test
    void randomBlobsFailOnlyWithFormatException() {
        RandomCases.forAll(FIXED_GARBAGE, 1000, r -> RandomCases.bytes(r, 0, 1100), garbage -> {
            try {
                MessageBlob.parse(garbage);
            } catch (FormatException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        });
    }

    @Test
    void randomValuesFailOnlyWithFormatException() {
        RandomCases.forAll(FIXED_GARBAGE, 1000, r -> RandomCases.bytes(r, 0, 1100), garbage -> {
            try {
                MessageBlob.parseBencodedValue(garbage);
            } catch (FormatException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        });
    }

    @Test
    void randomBodiesBehindAValidPrefixFailOnlyWithFormatException() {
        RandomCases.forAll(FIXED_GARBAGE, 1000, r -> RandomCases.bytes(r, 0, 1100), garbage -> {
            byte[] value = MessageBlob.bencode(garbage);
            try {
                MessageBlob.parseBencodedValue(value);
            } catch (FormatException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        });
    }

    @Test
    void messageLimitIs973Bytes() {
        MessageBlob largest = new MessageBlob(MessageId.END, new byte[973]);
        assertThat(largest.bencodedValue()).hasSize(1000);
        assertThatThrownBy(() -> new MessageBlob(MessageId.END, new byte[974]))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("974 bytes");
    }

    @Test
    void offsetIsSkippedAndTrailingBytesIgnored() {
        byte[] blob = Hex.decode("00".repeat(20) + "0002" + "03" + "aabbcc" + "6869" + "ffff");
        MessageBlob parsed = MessageBlob.parse(blob);
        assertThat(parsed.message()).isEqualTo("hi".getBytes(StandardCharsets.US_ASCII));
        assertThat(parsed.next().isEnd()).isTrue();
    }

    @Test
    void truncationAndBadLengthsAreFormatErrors() {
        assertThatThrownBy(() -> MessageBlob.parse(new byte[22]))
                .isInstanceOf(FormatException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> MessageBlob.parse(Hex.decode("00".repeat(20) + "0005" + "00" + "6869")))
                .isInstanceOf(FormatException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> MessageBlob.parse(Hex.decode("00".repeat(20) + "ffff" + "00")))
                .isInstanceOf(FormatException.class).hasMessageContaining("65535");
    }

    @Test
    void malformedBencodingIsAFormatError() {
        byte[] blob = new MessageBlob(MessageId.END, new byte[] {1}).encode(); // 24 bytes
        assertThatThrownBy(() -> MessageBlob.parseBencodedValue(blob)).isInstanceOf(FormatException.class);
        assertThatThrownBy(() -> MessageBlob.parseBencodedValue(concat("25:", blob)))
                .isInstanceOf(FormatException.class).hasMessageContaining("declares 25");
        assertThatThrownBy(() -> MessageBlob.parseBencodedValue(concat("024:", blob)))
                .isInstanceOf(FormatException.class).hasMessageContaining("invalid bencoded length");
        assertThatThrownBy(() -> MessageBlob.parseBencodedValue(concat("-4:", blob)))
                .isInstanceOf(FormatException.class);
        assertThat(MessageBlob.parseBencodedValue(concat("24:", blob)).message()).containsExactly(1);
    }

    @Test
    void messageIsCopied() {
        byte[] message = {1, 2};
        MessageBlob blob = new MessageBlob(MessageId.END, message);
        message[0] = 9;
        blob.message()[1] = 9;
        assertThat(blob.message()).containsExactly(1, 2);
    }

    private static byte[] concat(String prefix, byte[] bytes) {
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        byte[] out = java.util.Arrays.copyOf(p, p.length + bytes.length);
        System.arraycopy(bytes, 0, out, p.length, bytes.length);
        return out;
    }
}
