package dev.scout.core.crypto;

import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.KeyFormatException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

class IdentityTest {

    @Test
    void generatedIdentitiesDifferAndRoundTripThroughTheirSeed() {
        Ed25519KeyPair a = Ed25519KeyPair.generate();
        Ed25519KeyPair b = Ed25519KeyPair.generate();
        assertThat(a.publicKey()).isNotEqualTo(b.publicKey());
        assertThat(Ed25519KeyPair.ofSeed(a.seed()).publicKey()).isEqualTo(a.publicKey());
    }

    @Test
    void seedIsACopy() {
        byte[] seed = new byte[32];
        Ed25519KeyPair id = Ed25519KeyPair.ofSeed(seed);
        seed[0] = 1;
        id.seed()[0] = 1;
        assertThat(id.seed()).isEqualTo(new byte[32]);
    }

    @Test
    void toStringNeverShowsTheSeed() {
        Ed25519KeyPair id = Ed25519KeyPair.generate();
        String shown = id.toString();
        assertThat(shown).contains(id.publicKey().toZBase32());
        assertThat(shown).doesNotContain(Hex.toHexString(id.seed()));
        assertThat(shown.toLowerCase()).doesNotContain(Hex.toHexString(id.seed()).substring(0, 8));
    }

    @Test
    void signaturesVerify() {
        Ed25519KeyPair id = Ed25519KeyPair.generate();
        byte[] message = "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] signature = id.sign(message);
        assertThat(signature).hasSize(Ed25519KeyPair.SIGNATURE_BYTES);
        assertThat(id.publicKey().verify(message, signature)).isTrue();
        assertThat(Ed25519KeyPair.generate().publicKey().verify(message, signature)).isFalse();
    }

    @Test
    void wrongSeedLengthIsRejected() {
        assertThatThrownBy(() -> Ed25519KeyPair.ofSeed(new byte[16]))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("32 bytes");
    }
}
