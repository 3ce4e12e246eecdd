package dev.scout.session.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

/**
 * Our Noise IK against the public cacophony test vector for Noise_IK_25519_ChaChaPoly_SHA256
 * (handshake messages, handshake hash and four transport messages), plus the properties the
 * session layer relies on.
 */
class NoiseVectorTest {

    @Test
    void matchesTheCacophonyVector() throws Exception {
        String json;
        try (InputStream in = getClass().getResourceAsStream("/noise-ik-cacophony.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        byte[] prologue = hex(json, "init_prologue");
        NoiseIK init = NoiseIK.initiator(prologue, hex(json, "init_static"), hex(json, "init_remote_static"),
                hex(json, "init_ephemeral"));
        NoiseIK resp = NoiseIK.responder(hex(json, "resp_prologue"), hex(json, "resp_static"), hex(json, "resp_ephemeral"));
        List<byte[][]> messages = messages(json);

        byte[] m1 = init.writeMessage1(messages.get(0)[0]);
        assertThat(Hex.toHexString(m1)).isEqualTo(Hex.toHexString(messages.get(0)[1]));
        assertThat(resp.readMessage1(m1)).isEqualTo(messages.get(0)[0]);
        assertThat(resp.remoteStatic()).isEqualTo(NoiseIK.publicKey(hex(json, "init_static")));

        byte[] m2 = resp.writeMessage2(messages.get(1)[0]);
        assertThat(Hex.toHexString(m2)).isEqualTo(Hex.toHexString(messages.get(1)[1]));
        assertThat(init.readMessage2(m2)).isEqualTo(messages.get(1)[0]);
        assertThat(Hex.toHexString(init.handshakeHash())).isEqualTo(Hex.toHexString(hex(json, "handshake_hash")));
        assertThat(resp.handshakeHash()).isEqualTo(init.handshakeHash());

        NoiseCipher[] ic = init.split();
        NoiseCipher[] rc = resp.split();
        for (int i = 2; i < messages.size(); i++) {
            boolean fromInitiator = i % 2 == 0;
            NoiseCipher send = fromInitiator ? ic[0] : rc[0];
            NoiseCipher recv = fromInitiator ? rc[1] : ic[1];
            byte[] c = send.encryptWithAd(new byte[0], messages.get(i)[0]);
            assertThat(Hex.toHexString(c)).as("transport message %d", i).isEqualTo(Hex.toHexString(messages.get(i)[1]));
            assertThat(recv.decryptWithAd(new byte[0], c)).isEqualTo(messages.get(i)[0]);
        }
    }

    @Test
    void aWrongResponderKeyCannotReadMessage1() throws Exception {
        SecureRandom r = new SecureRandom();
        byte[] a = NoiseIK.newPrivateKey(r);
        byte[] b = NoiseIK.newPrivateKey(r);
        byte[] mallory = NoiseIK.newPrivateKey(r);
        NoiseIK init = NoiseIK.initiator(new byte[0], a, NoiseIK.publicKey(b), NoiseIK.newPrivateKey(r));
        byte[] m1 = init.writeMessage1("hi".getBytes(StandardCharsets.UTF_8));
        NoiseIK wrong = NoiseIK.responder(new byte[0], mallory, NoiseIK.newPrivateKey(r));
        assertThatThrownBy(() -> wrong.readMessage1(m1)).isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void aTamperedMessage2IsRejected() throws Exception {
        SecureRandom r = new SecureRandom();
        byte[] a = NoiseIK.newPrivateKey(r);
        byte[] b = NoiseIK.newPrivateKey(r);
        NoiseIK init = NoiseIK.initiator(new byte[0], a, NoiseIK.publicKey(b), NoiseIK.newPrivateKey(r));
        NoiseIK resp = NoiseIK.responder(new byte[0], b, NoiseIK.newPrivateKey(r));
        resp.readMessage1(init.writeMessage1(new byte[0]));
        byte[] m2 = resp.writeMessage2(new byte[0]);
        m2[m2.length - 1] ^= 1;
        assertThatThrownBy(() -> init.readMessage2(m2)).isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void aLowOrderEphemeralAbortsTheHandshake() throws Exception {
        SecureRandom r = new SecureRandom();
        byte[] b = NoiseIK.newPrivateKey(r);
        NoiseIK resp = NoiseIK.responder(new byte[0], b, NoiseIK.newPrivateKey(r));
        byte[] m1 = new byte[NoiseIK.MESSAGE1_OVERHEAD]; // e = 0: a low-order point
        assertThatThrownBy(() -> resp.readMessage1(m1)).hasMessageContaining("low-order");
    }

    private static byte[] hex(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*\"([0-9a-f]*)\"").matcher(json);
        if (!m.find()) {
            throw new AssertionError("vector lacks " + field);
        }
        return Hex.decode(m.group(1));
    }

    private static List<byte[][]> messages(String json) {
        Matcher m = Pattern.compile("\"payload\"\\s*:\\s*\"([0-9a-f]*)\"\\s*,\\s*\"ciphertext\"\\s*:\\s*\"([0-9a-f]*)\"").matcher(json);
        List<byte[][]> out = new ArrayList<>();
        while (m.find()) {
            out.add(new byte[][] {Hex.decode(m.group(1)), Hex.decode(m.group(2))});
        }
        return out;
    }
}
