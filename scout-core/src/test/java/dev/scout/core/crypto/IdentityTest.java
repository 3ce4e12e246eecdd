package dev.scout.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

class IdentityTest {

    @Test
    void generatedIdentitiesDifferAndRoundTripThroughTheirSeed() {
        Identity a = Identity.generate();
        Identity b = Identity.generate();
        assertThat(a.publicKey()).isNotEqualTo(b.publicKey());
        assertThat(Identity.fromSeed(a.seed()).publicKey()).isEqualTo(a.publicKey());
    }

    @Test
    void seedIsACopy() {
        byte[] seed = new byte[32];
        Identity id = Identity.fromSeed(seed);
        seed[0] = 1;
        id.seed()[0] = 1;
        assertThat(id.seed()).isEqualTo(new byte[32]);
    }

    @Test
    void toStringNeverShowsTheSeed() {
        Identity id = Identity.generate();
        String shown = id.toString();
        assertThat(shown).contains(id.publicKey().toZBase32());
        assertThat(shown).doesNotContain(Hex.toHexString(id.seed()));
        assertThat(shown.toLowerCase()).doesNotContain(Hex.toHexString(id.seed()).substring(0, 8));
    }

    @Test
    void signaturesVerify() {
        Identity id = Identity.generate();
        byte[] message = "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] signature = id.sign(message);
        assertThat(signature).hasSize(Identity.SIGNATURE_BYTES);
        assertThat(id.publicKey().verify(message, signature)).isTrue();
        assertThat(Identity.generate().publicKey().verify(message, signature)).isFalse();
    }

    @Test
    void wrongSeedLengthIsRejected() {
        assertThatThrownBy(() -> Identity.fromSeed(new byte[16]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes");
    }
}
