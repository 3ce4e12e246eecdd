package dev.scout.core.crypto;

import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.Ed25519PublicKey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scout.dht.KeyFormatException;
import dev.scout.dht.LowOrderKeyException;
import java.math.BigInteger;
import dev.scout.testkit.RandomCases;
import java.util.List;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class KeyExchangeTest {

    private static final Ed25519KeyPair ME = Ed25519KeyPair.generate();

    private record Seeds(byte[] seedA, byte[] seedB) {
    }

    @Test
    void bothSidesAgree() {
        byte[] ones = new byte[32];
        java.util.Arrays.fill(ones, (byte) -1);
        RandomCases.forAll(List.of(new Seeds(new byte[32], ones), new Seeds(ones, ones)), 50,
                r -> new Seeds(RandomCases.bytes(r, 32), RandomCases.bytes(r, 32)), c -> {
                    Ed25519KeyPair a = Ed25519KeyPair.ofSeed(c.seedA());
                    Ed25519KeyPair b = Ed25519KeyPair.ofSeed(c.seedB());
                    assertThat(KeyExchange.sharedSecret(a, b.publicKey()))
                            .isEqualTo(KeyExchange.sharedSecret(b, a.publicKey()))
                            .hasSize(32);
                });
    }

    /** Encodings of the eight small-order Edwards points (and non-canonical spellings). */
    @ParameterizedTest
    @ValueSource(strings = {
        "0100000000000000000000000000000000000000000000000000000000000000", // neutral point, order 1
        "0000000000000000000000000000000000000000000000000000000000000000", // y = 0, order 4
        "0000000000000000000000000000000000000000000000000000000000000080", // y = 0, other x, order 4
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = -1, order 2
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", // order 8
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", // order 8
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85", // order 8
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa", // order 8
        "0100000000000000000000000000000000000000000000000000000000000080", // neutral, sign bit set
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = p + 1 = 1, non-canonical
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = p = 0, non-canonical
    })
    void smallOrderKeysAreRejected(String hex) {
        Ed25519PublicKey peer = Ed25519PublicKey.of(Hex.decode(hex));
        assertThatThrownBy(() -> KeyExchange.sharedSecret(ME, peer))
                .isInstanceOf(LowOrderKeyException.class)
                .hasMessageContaining("small order");
        assertThatThrownBy(() -> PairKeys.derive(ME, peer)).isInstanceOf(LowOrderKeyException.class);
    }

    @Test
    void bytesThatAreNotACurvePointAreRejected() {
        byte[] notAPoint = new byte[32];
        notAPoint[0] = 2; // y = 2 has no matching x on the curve
        assertThatThrownBy(() -> KeyExchange.sharedSecret(ME, Ed25519PublicKey.of(notAPoint)))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("not a valid Ed25519 public key");
    }

    @Test
    void pointWithATorsionComponentIsRejected() {
        // bob + T4: on the curve but outside the prime-order subgroup. Clamping would erase T4, so
        // without full validation this key would silently act as bob's. libsodium rejects it too.
        Ed25519KeyPair bob = Ed25519KeyPair.generate();
        Ed25519PublicKey mixed = Ed25519PublicKey.of(addOrderFourPoint(bob.publicKey().bytes()));
        assertThatThrownBy(() -> KeyExchange.sharedSecret(ME, mixed))
                .isInstanceOf(KeyFormatException.class);
        assertThat(KeyExchange.sharedSecret(ME, bob.publicKey())).hasSize(32);
    }

    @Test
    void zeroCheckIsCorrect() {
        assertThat(KeyExchange.isAllZero(new byte[32])).isTrue();
        for (int i = 0; i < 32; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] b = new byte[32];
                b[i] = (byte) (1 << bit);
                assertThat(KeyExchange.isAllZero(b)).isFalse();
            }
        }
    }

    @Test
    void privateScalarIsClamped() {
        byte[] scalar = KeyExchange.toCurve25519PrivateKey(ME);
        assertThat(scalar[0] & 7).isZero();
        assertThat(scalar[31] & 0xC0).isEqualTo(0x40);
    }

    // Test-only Edwards arithmetic: (x, y) + (i, 0) = (i*y, i*x) where i = sqrt(-1).
    private static byte[] addOrderFourPoint(byte[] encoded) {
        BigInteger p = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
        BigInteger d = BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(p)).mod(p);
        BigInteger i = BigInteger.TWO.modPow(p.subtract(BigInteger.ONE).shiftRight(2), p);
        byte[] be = reverse(encoded);
        int sign = (be[0] >> 7) & 1;
        be[0] &= 0x7F;
        BigInteger y = new BigInteger(1, be);
        BigInteger x2 = y.pow(2).subtract(BigInteger.ONE)
                .multiply(d.multiply(y.pow(2)).add(BigInteger.ONE).modInverse(p)).mod(p);
        BigInteger x = x2.modPow(p.add(BigInteger.valueOf(3)).shiftRight(3), p);
        if (!x.pow(2).mod(p).equals(x2)) {
            x = x.multiply(i).mod(p);
        }
        if (x.testBit(0) != (sign == 1)) {
            x = p.subtract(x);
        }
        BigInteger newX = i.multiply(y).mod(p);
        BigInteger newY = i.multiply(x).mod(p);
        byte[] out = new byte[32];
        byte[] yBytes = newY.toByteArray();
        for (int k = 0; k < yBytes.length && k < 32; k++) {
            out[k] = yBytes[yBytes.length - 1 - k];
        }
        if (newX.testBit(0)) {
            out[31] |= (byte) 0x80;
        }
        return out;
    }

    private static byte[] reverse(byte[] b) {
        byte[] r = new byte[b.length];
        for (int k = 0; k < b.length; k++) {
            r[k] = b[b.length - 1 - k];
        }
        return r;
    }
}
