package dev.scout.core.crypto;

import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.Ed25519PublicKey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scout.dht.KeyFormatException;
import dev.scout.testkit.RandomCases;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PublicKeyTest {

    private static final String ALICE_ZBASE32 = "yqooxx9u3aemh8mo5wcqq16yufu6jitouq1o4za751dger1igghy";
    private static final String ALICE_HEX = "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8";

    @Test
    void zBase32RoundTrips() {
        byte[] ones = new byte[32];
        java.util.Arrays.fill(ones, (byte) -1);
        RandomCases.forAll(List.of(new byte[32], ones), 1000, r -> RandomCases.bytes(r, 32), bytes -> {
            Ed25519PublicKey key = Ed25519PublicKey.of(bytes);
            String text = key.toZBase32();
            assertThat(text).hasSize(52).matches("[ybndrfg8ejkmcpqxot1uwisza345h769]+");
            assertThat(Ed25519PublicKey.parse(text)).isEqualTo(key);
            assertThat(Ed25519PublicKey.parse(text.toUpperCase())).isEqualTo(key);
            assertThat(Ed25519PublicKey.parse(key.toHex())).isEqualTo(key);
            assertThat(key.bytes()).isEqualTo(bytes);
        });
    }

    private static void parsesOrFailsWithKeyFormatException(String text) {
        try {
            Ed25519PublicKey.parse(text);
        } catch (KeyFormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Test
    void parseRejectsArbitraryStringsOnlyWithKeyFormatException() {
        RandomCases.forAll(List.of("", " ", "y".repeat(52), "0".repeat(64), "\uD800".repeat(52), "x".repeat(255)),
                1000, r -> RandomCases.strings(r, 255), PublicKeyTest::parsesOrFailsWithKeyFormatException);
    }

    @Test
    void parseRejectsNearMissesOnlyWithKeyFormatException() {
        RandomCases.forAll(List.of("l".repeat(52), "h".repeat(52), "g".repeat(64), "F".repeat(64)), 1000,
                PublicKeyTest::nearMiss, PublicKeyTest::parsesOrFailsWithKeyFormatException);
    }

    /** 52 characters of z-base-32 (plus l, v and 0, which it lacks) or 64 of hex (plus g and x). */
    private static String nearMiss(Random r) {
        String chars = r.nextBoolean() ? "ybndrfg8ejkmcpqxot1uwisza345h769lv0" : "0123456789abcdefABCDEFgx";
        int length = chars.length() == 35 ? 52 : 64;
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(chars.charAt(r.nextInt(chars.length())));
        }
        return sb.toString();
    }

    @Test
    void wrongLengthIsExplained() {
        assertThatThrownBy(() -> Ed25519PublicKey.parse("yqooxx9u3aem"))
                .isInstanceOf(KeyFormatException.class)
                .hasMessage("public key must be 52 z-base-32 characters or 64 hex digits, got 12 characters");
    }

    @Test
    void wrongZBase32CharacterIsNamed() {
        String bad = "l" + ALICE_ZBASE32.substring(1);
        assertThatThrownBy(() -> Ed25519PublicKey.parse(bad))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("'l'")
                .hasMessageContaining("position 0")
                .hasMessageContaining("z-base-32");
    }

    @Test
    void nonZeroPaddingBitsAreRejected() {
        // 'h' is 29 = 0b11101: key bit 1 followed by padding 1101, not zero
        String bad = ALICE_ZBASE32.substring(0, 51) + "h";
        assertThatThrownBy(() -> Ed25519PublicKey.parse(bad))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("padding");
    }

    @Test
    void wrongHexDigitIsNamed() {
        String bad = ALICE_HEX.substring(0, 10) + "g" + ALICE_HEX.substring(11);
        assertThatThrownBy(() -> Ed25519PublicKey.parse(bad))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("'g'")
                .hasMessageContaining("position 10")
                .hasMessageContaining("hex");
    }

    @Test
    void nonAsciiDigitsAreNotHex() {
        String bad = "\u0663" + ALICE_HEX.substring(1); // ARABIC-INDIC DIGIT THREE
        assertThatThrownBy(() -> Ed25519PublicKey.parse(bad)).isInstanceOf(KeyFormatException.class);
    }

    @Test
    void upperCaseHexAndSurroundingWhitespaceAreAccepted() {
        assertThat(Ed25519PublicKey.parse("  " + ALICE_HEX.toUpperCase() + "\n").toZBase32()).isEqualTo(ALICE_ZBASE32);
    }

    @Test
    void nullAndWrongByteLengthAreRejected() {
        assertThatThrownBy(() -> Ed25519PublicKey.parse(null)).isInstanceOf(KeyFormatException.class);
        assertThatThrownBy(() -> Ed25519PublicKey.of(new byte[31]))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("32 bytes, got 31 bytes");
    }

    @Test
    void equalityIsByContentAndBytesAreCopied() {
        Ed25519PublicKey a = Ed25519PublicKey.parse(ALICE_HEX);
        byte[] bytes = a.bytes();
        bytes[0] ^= 1;
        assertThat(a.toHex()).isEqualTo(ALICE_HEX);
        assertThat(a).isEqualTo(Ed25519PublicKey.parse(ALICE_ZBASE32)).hasSameHashCodeAs(Ed25519PublicKey.parse(ALICE_ZBASE32));
        assertThat(a).isNotEqualTo(Ed25519PublicKey.of(bytes));
        assertThat(a.toString()).isEqualTo(ALICE_ZBASE32);
    }

    @Test
    void verifyIsFalseForInvalidKeysAndBadSignatures() {
        Ed25519KeyPair id = Ed25519KeyPair.generate();
        byte[] message = {1, 2, 3};
        byte[] signature = id.sign(message);
        assertThat(id.publicKey().verify(message, signature)).isTrue();
        assertThat(id.publicKey().verify(new byte[] {1, 2, 4}, signature)).isFalse();
        assertThat(id.publicKey().verify(message, new byte[63])).isFalse();
        byte[] notAPoint = new byte[32];
        notAPoint[0] = 2;
        assertThat(Ed25519PublicKey.of(notAPoint).verify(message, signature)).isFalse();
    }
}
