package dev.scout.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scout.dht.DecryptionException;
import dev.scout.dht.LimitExceededException;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.core.crypto.PairKeys;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessageSealTest {

    private static final Ed25519KeyPair ALICE = Ed25519KeyPair.generate();
    private static final Ed25519KeyPair BOB = Ed25519KeyPair.generate();

    @Test
    void peerOpensASealedMessageCarriedInAList() {
        PairKeys aliceKeys = PairKeys.derive(ALICE, BOB.publicKey());
        PairKeys bobKeys = PairKeys.derive(BOB, ALICE.publicKey());
        byte[] body = "see you at 8".getBytes(StandardCharsets.UTF_8);
        ListToken token = new ListHead().pushFront(MessageSeal.seal(aliceKeys, body));
        byte[] sealed = MessageBlob.parseBencodedValue(token.value()).message();
        assertThat(MessageSeal.open(bobKeys, sealed)).isEqualTo(body);
    }

    @Test
    void messageKeyIsNotTheRecordKey() {
        PairKeys keys = PairKeys.derive(ALICE, BOB.publicKey());
        byte[] sealed = MessageSeal.seal(keys, new byte[] {1});
        assertThatThrownBy(() -> dev.scout.core.internal.SecretBox.openWithNoncePrefix(keys.encryptionKey(), sealed))
                .isInstanceOf(DecryptionException.class);
    }

    @Test
    void largestBodyFitsABlob() {
        PairKeys keys = PairKeys.derive(ALICE, BOB.publicKey());
        byte[] sealed = MessageSeal.seal(keys, new byte[MessageSeal.MAX_BODY_BYTES]);
        assertThat(sealed).hasSize(MessageBlob.MAX_MESSAGE_BYTES);
        assertThat(new MessageBlob(MessageId.END, sealed).bencodedValue()).hasSize(1000);
        assertThatThrownBy(() -> MessageSeal.seal(keys, new byte[MessageSeal.MAX_BODY_BYTES + 1]))
                .isInstanceOf(LimitExceededException.class);
    }

    @Test
    void wrongPairOrTamperingFails() {
        PairKeys keys = PairKeys.derive(ALICE, BOB.publicKey());
        byte[] sealed = MessageSeal.seal(keys, new byte[] {1, 2, 3});
        PairKeys other = PairKeys.derive(ALICE, Ed25519KeyPair.generate().publicKey());
        assertThatThrownBy(() -> MessageSeal.open(other, sealed)).isInstanceOf(DecryptionException.class);
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> MessageSeal.open(keys, sealed)).isInstanceOf(DecryptionException.class);
        assertThatThrownBy(() -> MessageSeal.open(keys, new byte[10])).isInstanceOf(DecryptionException.class);
    }
}
