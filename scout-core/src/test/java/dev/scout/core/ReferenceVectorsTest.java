package dev.scout.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scout.dht.Ed25519KeyPair;
import dev.scout.core.crypto.KeyExchange;
import dev.scout.core.crypto.PairKeys;
import dev.scout.dht.Ed25519PublicKey;
import dev.scout.core.internal.SecretBox;
import dev.scout.core.message.ListHead;
import dev.scout.core.message.ListToken;
import dev.scout.core.message.MessageBlob;
import dev.scout.core.message.MessageId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

/** Vectors produced with libsodium and hashlib; every one must be reproduced exactly. */
class ReferenceVectorsTest {

    static final String ALICE_SEED = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    static final String ALICE_PK = "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8";
    static final String ALICE_ZBASE32 = "yqooxx9u3aemh8mo5wcqq16yufu6jitouq1o4za751dger1igghy";
    static final String BOB_SEED = "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f";
    static final String BOB_PK = "29acbae141bccaf0b22e1a94d34d0bc7361e526d0bfe12c89794bc9322966dd7";
    static final String SHARED = "f6f92efb32945aff683324a1c984c5001f46aaea513f3453138d740b3a604b7d";
    static final String ENCRYPTION_KEY = "ee16507392dfbe70606582bb63e87013f777fa35e914790903056b508a780940";
    static final String SIGNING_SEED = "b3afd8693cb6936c4cc827652ca0810b7d3798e20a76f20ea16f04dbe1417ec4";
    static final String MESSAGE_KEY = "cc346fe40ff468d28a074656c5323d01a327aab050980a0be7cde34716513943";
    static final String RECORD_PK = "024c17c445cbb21a9679fe4d42ef855062182648b5cb0d79f823797a2687912f";
    static final String RECORD_TARGET = "8187911bd9fd8cd6add811c1669370f8fd773788";
    static final String PLAINTEXT = "02000000000000000001000000010000050068656c6c6f00000000000000030000000700010000";
    static final String NONCE = "000102030405060708090a0b0c0d0e0f1011121314151617";
    static final String VALUE = "000102030405060708090a0b0c0d0e0f10111213141516176e9f6a52d6c85b218b88be68e885c7"
            + "1c923e57c2d745de287a3bd15e69cb4924f9581754eb2203762b49ae67a6842bf8ae7b0d4c8eb9e4";
    static final String SIGNATURE = "93ee340397bff379f4a11330f6673fad9c1cceb904ef2b4456b729325fd2ff0f"
            + "304162a36cf3cc493f64ba560317cb5fa55dde13b1cf267a7a4bfd7e1d4c9305";
    static final String FIRST_BLOB = "00000000000000000000000000000000000000000005006669727374";
    static final String FIRST_ID = "aad08b702bad81316ca3047e08277e8446d53be3";
    static final String SECOND_BLOB = "aad08b702bad81316ca3047e08277e8446d53be30006007365636f6e64";
    static final String SECOND_ID = "edaa92b9b9a7eb0accf12930b0738f8a2d645dd8";

    static Ed25519KeyPair alice() {
        return Ed25519KeyPair.ofSeed(Hex.decode(ALICE_SEED));
    }

    static Ed25519KeyPair bob() {
        return Ed25519KeyPair.ofSeed(Hex.decode(BOB_SEED));
    }

    static PairKeys aliceBobKeys() {
        return PairKeys.derive(alice(), bob().publicKey());
    }

    static List<RecordEntry> vectorEntries() {
        return List.of(
                new RecordEntry(1, 1, 0, "hello".getBytes(StandardCharsets.US_ASCII)),
                new RecordEntry(7, 3, RecordEntry.FLAG_DELETED, new byte[0]));
    }

    @Test
    void identitiesMatch() {
        assertThat(alice().publicKey().toHex()).isEqualTo(ALICE_PK);
        assertThat(alice().publicKey().toZBase32()).isEqualTo(ALICE_ZBASE32);
        assertThat(bob().publicKey().toHex()).isEqualTo(BOB_PK);
    }

    @Test
    void zBase32AndHexParseToTheSameKey() {
        assertThat(Ed25519PublicKey.parse(ALICE_ZBASE32)).isEqualTo(Ed25519PublicKey.parse(ALICE_PK))
                .isEqualTo(alice().publicKey());
    }

    @Test
    void sharedSecretMatchesInBothDirections() {
        byte[] ab = KeyExchange.sharedSecret(alice(), Ed25519PublicKey.parse(BOB_PK));
        byte[] ba = KeyExchange.sharedSecret(bob(), Ed25519PublicKey.parse(ALICE_PK));
        assertThat(Hex.toHexString(ab)).isEqualTo(SHARED);
        assertThat(Hex.toHexString(ba)).isEqualTo(SHARED);
    }

    @Test
    void derivedKeysMatch() {
        PairKeys keys = aliceBobKeys();
        assertThat(Hex.toHexString(keys.encryptionKey())).isEqualTo(ENCRYPTION_KEY);
        assertThat(Hex.toHexString(keys.messageKey())).isEqualTo(MESSAGE_KEY);
        assertThat(Hex.toHexString(keys.recordIdentity().seed())).isEqualTo(SIGNING_SEED);
        assertThat(keys.recordPublicKey().toHex()).isEqualTo(RECORD_PK);
        assertThat(Hex.toHexString(keys.recordTarget())).isEqualTo(RECORD_TARGET);
        assertThat(Hex.toHexString(keys.recordTarget(new byte[0]))).isEqualTo(RECORD_TARGET);
    }

    @Test
    void bothSidesDeriveTheSameKeys() {
        PairKeys ab = aliceBobKeys();
        PairKeys ba = PairKeys.derive(bob(), alice().publicKey());
        assertThat(ba.encryptionKey()).isEqualTo(ab.encryptionKey());
        assertThat(ba.messageKey()).isEqualTo(ab.messageKey());
        assertThat(ba.recordPublicKey()).isEqualTo(ab.recordPublicKey());
        assertThat(PairKeys.ofSharedSecret(Hex.decode(SHARED)).recordPublicKey()).isEqualTo(ab.recordPublicKey());
    }

    @Test
    void plaintextMatches() {
        assertThat(Hex.toHexString(EntryVector.encode(vectorEntries()))).isEqualTo(PLAINTEXT);
        assertThat(EntryVector.decode(Hex.decode(PLAINTEXT))).isEqualTo(vectorEntries());
    }

    @Test
    void recordValueMatches() {
        byte[] value = ContactRecord.seal(aliceBobKeys(), vectorEntries(), Hex.decode(NONCE));
        assertThat(Hex.toHexString(value)).isEqualTo(VALUE);
        assertThat(ContactRecord.open(PairKeys.derive(bob(), alice().publicKey()), Hex.decode(VALUE)))
                .isEqualTo(vectorEntries());
    }

    @Test
    void secretBoxMatchesLibsodium() {
        byte[] box = SecretBox.seal(Hex.decode(ENCRYPTION_KEY), Hex.decode(NONCE), Hex.decode(PLAINTEXT));
        assertThat(Hex.toHexString(box)).isEqualTo(VALUE.substring(2 * SecretBox.NONCE_BYTES));
    }

    @Test
    void recordSignatureMatches() {
        byte[] v = Hex.decode(VALUE);
        // BEP 44 signing buffer for an empty salt: 3:seqi1e1:v<len>:<v>
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        buffer.writeBytes("3:seqi1e1:v".getBytes(StandardCharsets.US_ASCII));
        buffer.writeBytes((v.length + ":").getBytes(StandardCharsets.US_ASCII));
        buffer.writeBytes(v);
        byte[] signature = aliceBobKeys().recordIdentity().sign(buffer.toByteArray());
        assertThat(Hex.toHexString(signature)).isEqualTo(SIGNATURE);
        assertThat(Ed25519PublicKey.parse(RECORD_PK).verify(buffer.toByteArray(), signature)).isTrue();
    }

    @Test
    void messageBlobsAndIdsMatch() {
        ListHead head = new ListHead();
        assertThat(head.head()).isEqualTo(MessageId.END);

        ListToken first = head.pushFront("first".getBytes(StandardCharsets.US_ASCII));
        assertThat(Hex.toHexString(first.blob())).isEqualTo(FIRST_BLOB);
        assertThat(first.id().toHex()).isEqualTo(FIRST_ID);
        assertThat(first.next()).isEqualTo(MessageId.END);
        assertThat(head.head()).isEqualTo(first.id());

        ListToken second = head.pushFront("second".getBytes(StandardCharsets.US_ASCII));
        assertThat(Hex.toHexString(second.blob())).isEqualTo(SECOND_BLOB);
        assertThat(second.id().toHex()).isEqualTo(SECOND_ID);
        assertThat(second.next()).isEqualTo(first.id());
        assertThat(head.head().toHex()).isEqualTo(SECOND_ID);

        MessageBlob parsed = MessageBlob.parse(Hex.decode(SECOND_BLOB));
        assertThat(parsed.message()).isEqualTo("second".getBytes(StandardCharsets.US_ASCII));
        assertThat(parsed.next().toHex()).isEqualTo(FIRST_ID);
        assertThat(MessageId.ofValue(second.value()).toHex()).isEqualTo(SECOND_ID);
    }
}
