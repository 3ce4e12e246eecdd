package dev.scout.core.crypto;

import dev.scout.dht.Ed25519KeyPair;

import static org.assertj.core.api.Assertions.assertThat;

import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

class PairKeysTest {

    private final Ed25519KeyPair alice = Ed25519KeyPair.generate();
    private final Ed25519KeyPair bob = Ed25519KeyPair.generate();
    private final Ed25519KeyPair carol = Ed25519KeyPair.generate();

    @Test
    void keysArePerPairAndPerPurpose() {
        PairKeys ab = PairKeys.derive(alice, bob.publicKey());
        PairKeys ac = PairKeys.derive(alice, carol.publicKey());
        assertThat(ab.encryptionKey()).isNotEqualTo(ac.encryptionKey());
        assertThat(ab.recordPublicKey()).isNotEqualTo(ac.recordPublicKey());
        assertThat(ab.encryptionKey()).isNotEqualTo(ab.messageKey());
        assertThat(ab.recordIdentity().seed()).isNotEqualTo(ab.encryptionKey());
    }

    @Test
    void recordTargetWithSaltIsSha1OfKeyAndSalt() {
        PairKeys keys = PairKeys.derive(alice, bob.publicKey());
        byte[] salt = "phone".getBytes();
        SHA1Digest sha1 = new SHA1Digest();
        sha1.update(keys.recordPublicKey().bytes(), 0, 32);
        sha1.update(salt, 0, salt.length);
        byte[] expected = new byte[20];
        sha1.doFinal(expected, 0);
        assertThat(keys.recordTarget(salt)).isEqualTo(expected);
        assertThat(keys.recordTarget(salt)).isNotEqualTo(keys.recordTarget());
    }

    @Test
    void returnedKeysAreCopies() {
        PairKeys keys = PairKeys.derive(alice, bob.publicKey());
        keys.encryptionKey()[0] ^= 1;
        keys.messageKey()[0] ^= 1;
        PairKeys again = PairKeys.derive(bob, alice.publicKey());
        assertThat(keys.encryptionKey()).isEqualTo(again.encryptionKey());
        assertThat(keys.messageKey()).isEqualTo(again.messageKey());
    }

    @Test
    void toStringHidesSecrets() {
        PairKeys keys = PairKeys.derive(alice, bob.publicKey());
        String shown = keys.toString();
        assertThat(shown).contains(keys.recordPublicKey().toZBase32());
        assertThat(shown).doesNotContain(Hex.toHexString(keys.encryptionKey()))
                .doesNotContain(Hex.toHexString(keys.messageKey()))
                .doesNotContain(Hex.toHexString(keys.recordIdentity().seed()));
    }
}
