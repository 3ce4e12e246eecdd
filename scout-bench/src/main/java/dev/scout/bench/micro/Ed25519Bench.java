package dev.scout.bench.micro;

import dev.scout.dht.Ed25519PublicKey;

import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.MutableItem;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.Random;

/**
 * BEP 44 signatures: Ed25519 sign and verify (BouncyCastle, via Ed25519KeyPair) of a 150-byte item's
 * signing buffer; for comparison, verify with the JDK's own EdDSA provider (SunEC), key decoded once.
 */
@State(Scope.Thread)
public class Ed25519Bench {
    private Ed25519KeyPair signer;
    private byte[] publicKey;
    private Ed25519PublicKey key;
    private byte[] message;
    private byte[] signature;
    private java.security.PublicKey jdkKey;
    private java.security.Signature jdkVerifier;

    @Setup
    public void setup() {
        Random random = new Random(1);
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        signer = Ed25519KeyPair.ofSeed(seed);
        key = signer.publicKey();
        publicKey = key.bytes();
        byte[] value = new byte[154];
        random.nextBytes(value);
        value[0] = '1';
        value[1] = '5';
        value[2] = '0';
        value[3] = ':';
        message = MutableItem.signingBuffer("contact".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 42, value);
        signature = signer.sign(message);
        try {
            jdkKey = jdkPublicKey(publicKey);
            jdkVerifier = java.security.Signature.getInstance("Ed25519");
            if (!verifyJdk() || !verify()) {
                throw new IllegalStateException("signature does not verify");
            }
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 8032 encoding (little-endian y, top bit = x is odd) to the JDK's EdECPoint. */
    static java.security.PublicKey jdkPublicKey(byte[] raw) throws java.security.GeneralSecurityException {
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) {
            be[i] = raw[31 - i];
        }
        boolean xOdd = (be[0] & 0x80) != 0;
        be[0] &= 0x7f;
        java.security.spec.EdECPoint point = new java.security.spec.EdECPoint(xOdd, new java.math.BigInteger(1, be));
        return java.security.KeyFactory.getInstance("Ed25519").generatePublic(
                new java.security.spec.EdECPublicKeySpec(java.security.spec.NamedParameterSpec.ED25519, point));
    }

    @Benchmark
    public byte[] sign() {
        return signer.sign(message);
    }

    @Benchmark
    public boolean verify() {
        return key.verify(message, signature);
    }

    @Benchmark
    public boolean verifyJdk() throws java.security.GeneralSecurityException {
        jdkVerifier.initVerify(jdkKey);
        jdkVerifier.update(message);
        return jdkVerifier.verify(signature);
    }
}
