package dev.scout.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scout.dht.DecryptionException;
import dev.scout.testkit.RandomCases;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

    private static final byte[] KEY = new byte[32];
    private static final byte[] NONCE = new byte[24];

    static {
        for (int i = 0; i < 32; i++) {
            KEY[i] = (byte) (i * 7);
        }
    }

    private record Sealing(byte[] plaintext, byte[] key, byte[] nonce) {
    }

    private record Flip(byte[] plaintext, int position, int bit) {
    }

    @Test
    void roundTrips() {
        RandomCases.forAll(List.of(new Sealing(new byte[0], new byte[32], new byte[24]),
                        new Sealing(new byte[1200], KEY, NONCE)), 200,
                r -> new Sealing(RandomCases.bytes(r, 0, 1200), RandomCases.bytes(r, 32), RandomCases.bytes(r, 24)), c -> {
                    byte[] box = SecretBox.seal(c.key(), c.nonce(), c.plaintext());
                    assertThat(box).hasSize(c.plaintext().length + SecretBox.TAG_BYTES);
                    assertThat(SecretBox.open(c.key(), c.nonce(), box)).isEqualTo(c.plaintext());
                });
    }

    @Test
    void anyFlippedBitIsDetected() {
        RandomCases.forAll(List.of(new Flip(new byte[1], 0, 0), new Flip(new byte[100], 10_000, 7)), 200,
                r -> new Flip(RandomCases.bytes(r, 1, 100), RandomCases.ints(r, 0, 10_000), RandomCases.ints(r, 0, 7)), c -> {
                    byte[] box = SecretBox.seal(KEY, NONCE, c.plaintext());
                    box[c.position() % box.length] ^= (byte) (1 << c.bit());
                    assertThatThrownBy(() -> SecretBox.open(KEY, NONCE, box)).isInstanceOf(DecryptionException.class);
                });
    }

    @Test
    void tamperedBoxFailsToOpen() {
        byte[] box = SecretBox.seal(KEY, NONCE, "attack at dawn".getBytes());
        box[box.length - 1] ^= 1;
        assertThatThrownBy(() -> SecretBox.open(KEY, NONCE, box))
                .isInstanceOf(DecryptionException.class)
                .hasMessageContaining("authentication");
    }

    @Test
    void wrongKeyOrNonceFails() {
        byte[] box = SecretBox.seal(KEY, NONCE, "attack at dawn".getBytes());
        byte[] otherKey = KEY.clone();
        otherKey[5] ^= 1;
        byte[] otherNonce = NONCE.clone();
        otherNonce[23] ^= 1;
        assertThatThrownBy(() -> SecretBox.open(otherKey, NONCE, box)).isInstanceOf(DecryptionException.class);
        assertThatThrownBy(() -> SecretBox.open(KEY, otherNonce, box)).isInstanceOf(DecryptionException.class);
    }

    @Test
    void tooShortInputIsADecryptionError() {
        assertThatThrownBy(() -> SecretBox.open(KEY, NONCE, new byte[15])).isInstanceOf(DecryptionException.class);
        assertThatThrownBy(() -> SecretBox.openWithNoncePrefix(KEY, new byte[39]))
                .isInstanceOf(DecryptionException.class);
    }

    @Test
    void emptyPlaintextGivesJustATag() {
        byte[] box = SecretBox.seal(KEY, NONCE, new byte[0]);
        assertThat(box).hasSize(16);
        assertThat(SecretBox.open(KEY, NONCE, box)).isEmpty();
    }

    @Test
    void randomNonceVariantUsesFreshNonces() {
        byte[] plaintext = "same".getBytes();
        byte[] a = SecretBox.sealWithRandomNonce(KEY, plaintext);
        byte[] b = SecretBox.sealWithRandomNonce(KEY, plaintext);
        assertThat(a).hasSize(24 + 16 + plaintext.length).isNotEqualTo(b);
        assertThat(SecretBox.openWithNoncePrefix(KEY, a)).isEqualTo(plaintext);
        assertThat(SecretBox.openWithNoncePrefix(KEY, b)).isEqualTo(plaintext);
    }

    @Test
    void wrongKeyOrNonceLengthIsAProgrammingError() {
        assertThatThrownBy(() -> SecretBox.seal(new byte[31], NONCE, new byte[1]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SecretBox.seal(KEY, new byte[12], new byte[1]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
