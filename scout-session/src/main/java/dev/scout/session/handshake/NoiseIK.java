package dev.scout.session.handshake;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * The Noise IK handshake ({@code Noise_IK_25519_ChaChaPoly_SHA256}) on Bouncy Castle primitives:
 *
 * <pre>
 *   &lt;- s
 *   ...
 *   -&gt; e, es, s, ss
 *   &lt;- e, ee, se
 * </pre>
 *
 * The initiator knows the responder's static key beforehand (a contact's identity key), so one round
 * trip authenticates both sides and yields forward-secret transport keys. One instance runs one
 * handshake on one side; it is not thread-safe.
 */
public final class NoiseIK {
    public static final String PROTOCOL = "Noise_IK_25519_ChaChaPoly_SHA256";
    public static final int KEY_BYTES = 32;
    /** Size of message 1 without its payload: e, encrypted s (+tag), payload tag. */
    public static final int MESSAGE1_OVERHEAD = KEY_BYTES + KEY_BYTES + 16 + 16;
    /** Size of message 2 without its payload: e and the payload tag. */
    public static final int MESSAGE2_OVERHEAD = KEY_BYTES + 16;

    private final boolean initiator;
    private final NoiseSymmetricState state = new NoiseSymmetricState(PROTOCOL);
    private final byte[] s;
    private final byte[] sPub;
    private final byte[] e;
    private final byte[] ePub;
    private byte[] rs;
    private byte[] re;

    private NoiseIK(boolean initiator, byte[] prologue, byte[] staticPrivate, byte[] ephemeralPrivate,
            byte[] remoteStatic) {
        this.initiator = initiator;
        this.s = staticPrivate.clone();
        this.sPub = publicKey(s);
        this.e = ephemeralPrivate.clone();
        this.ePub = publicKey(e);
        this.rs = remoteStatic == null ? null : remoteStatic.clone();
        state.mixHash(prologue);
        // pre-message "<- s": the responder's static key is known to both.
        state.mixHash(initiator ? rs : sPub);
    }

    /** An initiator that expects {@code remoteStatic}; {@code ephemeralPrivate} is fixed only in tests. */
    public static NoiseIK initiator(byte[] prologue, byte[] staticPrivate, byte[] remoteStatic, byte[] ephemeralPrivate) {
        return new NoiseIK(true, prologue, staticPrivate, ephemeralPrivate, remoteStatic);
    }

    public static NoiseIK responder(byte[] prologue, byte[] staticPrivate, byte[] ephemeralPrivate) {
        return new NoiseIK(false, prologue, staticPrivate, ephemeralPrivate, null);
    }

    /** A fresh X25519 private key. */
    public static byte[] newPrivateKey(SecureRandom random) {
        byte[] k = new byte[X25519.SCALAR_SIZE];
        X25519.generatePrivateKey(random, k);
        return k;
    }

    public static byte[] publicKey(byte[] privateKey) {
        byte[] p = new byte[X25519.POINT_SIZE];
        X25519.generatePublicKey(privateKey, 0, p, 0);
        return p;
    }

    /** Initiator: message 1 carrying {@code payload} (encrypted, authenticated by es and ss). */
    public byte[] writeMessage1(byte[] payload) throws GeneralSecurityException {
        require(initiator);
        state.mixHash(ePub);
        state.mixKey(dh(e, rs));
        byte[] encS = state.encryptAndHash(sPub);
        state.mixKey(dh(s, rs));
        byte[] encP = state.encryptAndHash(payload);
        return concat(ePub, encS, encP);
    }

    /** Responder: reads message 1 and returns its payload; {@link #remoteStatic()} is then the sender's key. */
    public byte[] readMessage1(byte[] message) throws GeneralSecurityException {
        require(!initiator);
        if (message.length < MESSAGE1_OVERHEAD) {
            throw new GeneralSecurityException("handshake message 1 too short");
        }
        re = slice(message, 0, KEY_BYTES);
        state.mixHash(re);
        state.mixKey(dh(s, re));
        rs = state.decryptAndHash(slice(message, KEY_BYTES, KEY_BYTES + 16));
        state.mixKey(dh(s, rs));
        return state.decryptAndHash(slice(message, 2 * KEY_BYTES + 16, message.length - 2 * KEY_BYTES - 16));
    }

    /** Responder: message 2 carrying {@code payload}. */
    public byte[] writeMessage2(byte[] payload) throws GeneralSecurityException {
        require(!initiator && re != null);
        state.mixHash(ePub);
        state.mixKey(dh(e, re));
        state.mixKey(dh(e, rs));
        byte[] encP = state.encryptAndHash(payload);
        return concat(ePub, encP);
    }

    /** Initiator: reads message 2 and returns its payload. */
    public byte[] readMessage2(byte[] message) throws GeneralSecurityException {
        require(initiator);
        if (message.length < MESSAGE2_OVERHEAD) {
            throw new GeneralSecurityException("handshake message 2 too short");
        }
        re = slice(message, 0, KEY_BYTES);
        state.mixHash(re);
        state.mixKey(dh(e, re));
        state.mixKey(dh(s, re));
        return state.decryptAndHash(slice(message, KEY_BYTES, message.length - KEY_BYTES));
    }

    /** After the handshake: {send, receive} transport ciphers for this side. */
    public NoiseCipher[] split() {
        byte[][] k = state.split();
        NoiseCipher c1 = new NoiseCipher(k[0]);
        NoiseCipher c2 = new NoiseCipher(k[1]);
        java.util.Arrays.fill(k[0], (byte) 0);
        java.util.Arrays.fill(k[1], (byte) 0);
        java.util.Arrays.fill(e, (byte) 0);
        return initiator ? new NoiseCipher[] {c1, c2} : new NoiseCipher[] {c2, c1};
    }

    /**
     * After the handshake: two 32-byte secrets {initiator to responder, responder to initiator} for
     * {@code label}, derived from the chaining key, so only the two peers know them.
     */
    public byte[][] exportSecrets(String label) {
        require(re != null);
        return state.exportSecrets(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    public byte[] remoteStatic() {
        return rs == null ? null : rs.clone();
    }

    public byte[] handshakeHash() {
        return state.handshakeHash();
    }

    /** X25519; an all-zero result (low-order point from the peer) aborts the handshake. */
    private static byte[] dh(byte[] priv, byte[] pub) throws GeneralSecurityException {
        byte[] out = new byte[X25519.POINT_SIZE];
        if (!X25519.calculateAgreement(priv, 0, pub, 0, out, 0)) {
            throw new GeneralSecurityException("low-order public key in handshake");
        }
        return out;
    }

    private static void require(boolean ok) {
        if (!ok) {
            throw new IllegalStateException("handshake step out of order");
        }
    }

    private static byte[] slice(byte[] b, int off, int len) {
        return java.util.Arrays.copyOfRange(b, off, off + len);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }
}
