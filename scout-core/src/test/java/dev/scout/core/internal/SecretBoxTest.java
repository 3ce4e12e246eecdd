package dev.scout.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scout.dht.DecryptionException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

    private static final byte[] KEY = new byte[32];
    private static final byte[] NONCE = new byte[24];

    static {
        for (int i = 0; i < 32; i++) {
            KEY[i] = (byte) (i * 7);
        }
    }

    @Property(tries = 200)
    void roundTrips(@ForAll @Size(max = 1200) byte[] plaintext, @ForAll @Size(32) byte[] key,
                    @ForAll @Size(24) byte[] nonce) {
        byte[] box = SecretBox.seal(key, nonce, plaintext);
        assertThat(box).hasSize(plaintext.length + SecretBox.TAG_BYTES);
        assertThat(SecretBox.open(key, nonce, box)).isEqualTo(plaintext);
    }

    @Property(tries = 200)
    void anyFlippedBitIsDetected(@ForAll @Size(min = 1, max = 100) byte[] plaintext,
                                 @ForAll @IntRange(min = 0, max = 10_000) int position, @ForAll @IntRange(max = 7) int bit) {
        byte[] box = SecretBox.seal(KEY, NONCE, plaintext);
        box[position % box.length] ^= (byte) (1 << bit);
        assertThatThrownBy(() -> SecretBox.open(KEY, NONCE, box)).isInstanceOf(DecryptionException.class);
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
