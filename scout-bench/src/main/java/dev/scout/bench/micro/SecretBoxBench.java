package dev.scout.bench.micro;

import dev.scout.core.internal.SecretBox;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.Random;

/** NaCl secretbox (XSalsa20-Poly1305, BouncyCastle) seal and open of a 256-byte message. */
@State(Scope.Thread)
public class SecretBoxBench {
    private byte[] key;
    private byte[] nonce;
    private byte[] plaintext;
    private byte[] box;

    @Setup
    public void setup() {
        Random random = new Random(3);
        key = new byte[SecretBox.KEY_BYTES];
        nonce = new byte[SecretBox.NONCE_BYTES];
        plaintext = new byte[256];
        random.nextBytes(key);
        random.nextBytes(nonce);
        random.nextBytes(plaintext);
        box = SecretBox.seal(key, nonce, plaintext);
    }

    @Benchmark
    public byte[] seal256() {
        return SecretBox.seal(key, nonce, plaintext);
    }

    @Benchmark
    public byte[] open256() {
        return SecretBox.open(key, nonce, box);
    }
}
