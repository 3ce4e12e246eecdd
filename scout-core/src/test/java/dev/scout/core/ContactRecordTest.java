package dev.scout.core;

import dev.scout.testkit.RandomCases;

import dev.scout.dht.FormatException;
import dev.scout.dht.LimitExceededException;
import dev.scout.dht.DecryptionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scout.dht.Ed25519KeyPair;
import dev.scout.core.crypto.PairKeys;
import dev.scout.core.internal.SecretBox;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContactRecordTest {

    private static final Ed25519KeyPair ALICE = Ed25519KeyPair.generate();
    private static final Ed25519KeyPair BOB = Ed25519KeyPair.generate();
    private static final PairKeys KEYS = PairKeys.derive(ALICE, BOB.publicKey());

    @Test
    void peerOpensWhatISeal() {
        List<RecordEntry> entries = List.of(RecordEntry.of(1, "203.0.113.7:6881".getBytes()));
        byte[] v = ContactRecord.seal(KEYS, entries);
        assertThat(ContactRecord.open(PairKeys.derive(BOB, ALICE.publicKey()), v)).isEqualTo(entries);
    }

    @Test
    void everyWriteUsesAFreshNonce() {
        List<RecordEntry> entries = List.of(RecordEntry.of(1, new byte[] {1}));
        byte[] a = ContactRecord.seal(KEYS, entries);
        byte[] b = ContactRecord.seal(KEYS, entries);
        assertThat(java.util.Arrays.copyOf(a, 24)).isNotEqualTo(java.util.Arrays.copyOf(b, 24));
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void anotherPairCannotOpenIt() {
        byte[] v = ContactRecord.seal(KEYS, List.of(RecordEntry.of(1, new byte[] {1})));
        PairKeys other = PairKeys.derive(ALICE, Ed25519KeyPair.generate().publicKey());
        assertThatThrownBy(() -> ContactRecord.open(other, v)).isInstanceOf(DecryptionException.class);
    }

    @Test
    void tamperedValueIsRejected() {
        byte[] v = ContactRecord.seal(KEYS, List.of(RecordEntry.of(1, new byte[] {1})));
        v[30] ^= 0x40;
        assertThatThrownBy(() -> ContactRecord.open(KEYS, v)).isInstanceOf(DecryptionException.class);
    }

    @Test
    void largestRecordIs996BytesAndLargerIsRefusedBeforeEncryption() {
        List<RecordEntry> entries = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            entries.add(RecordEntry.of(i, new byte[255]));
        }
        entries.add(RecordEntry.of(3, new byte[125]));
        byte[] v = ContactRecord.seal(KEYS, entries);
        assertThat(v).hasSize(ContactRecord.MAX_VALUE_BYTES).hasSize(996);
        assertThat((v.length + ":").length() + v.length).isEqualTo(1000);

        entries.set(3, RecordEntry.of(3, new byte[126]));
        assertThatThrownBy(() -> ContactRecord.seal(KEYS, entries)).isInstanceOf(LimitExceededException.class);
    }

    @Test
    void authenticGarbageIsAFormatError() {
        // Correctly sealed, but the plaintext is not an entry vector.
        byte[] box = SecretBox.sealWithRandomNonce(KEYS.encryptionKey(), new byte[] {3, 0, 1});
        assertThatThrownBy(() -> ContactRecord.open(KEYS, box)).isInstanceOf(FormatException.class);
    }

    @Test
    void randomValuesFailOnlyWithTypedErrors() {
        RandomCases.forAll(List.of(new byte[0], new byte[40], new byte[1100]), 300, r -> RandomCases.bytes(r, 0, 1100),
                value -> assertThatThrownBy(() -> ContactRecord.open(KEYS, value))
                        .isInstanceOf(DecryptionException.class));
    }
}
