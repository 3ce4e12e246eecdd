package dev.scout.core.message;

import dev.scout.dht.DecryptionException;
import dev.scout.dht.LimitExceededException;
import dev.scout.core.crypto.PairKeys;
import dev.scout.core.internal.SecretBox;

/**
 * Encrypts offline message bodies with the pair's message key:
 * {@code nonce(24) ‖ secretbox(message key, nonce, body)} with a fresh random nonce.
 *
 * <pre>{@code
 * byte[] sealed = MessageSeal.seal(keys, "see you at 8".getBytes(StandardCharsets.UTF_8));
 * ListToken token = head.pushFront(sealed);
 * byte[] body = MessageSeal.open(keys, MessageBlob.parse(token.blob()).message());
 * }</pre>
 */
public final class MessageSeal {

    /** Largest body that still fits a message blob once sealed (973 − 24 − 16). */
    public static final int MAX_BODY_BYTES =
            MessageBlob.MAX_MESSAGE_BYTES - SecretBox.NONCE_BYTES - SecretBox.TAG_BYTES;

    private MessageSeal() {
    }

    /**
     * @throws LimitExceededException if the body is longer than {@value #MAX_BODY_BYTES} bytes
     * @param keys the key pair
     * @param body the message body
     * @return the sealed message
     */
    public static byte[] seal(PairKeys keys, byte[] body) {
        // Checked here rather than at pushFront so the error names the caller's limit.
        if (body.length > MAX_BODY_BYTES) {
            throw new LimitExceededException("message body is " + body.length + " bytes, at most "
                    + MAX_BODY_BYTES + " allowed");
        }
        return SecretBox.sealWithRandomNonce(keys.messageKey(), body);
    }

    /**
     * @throws DecryptionException if the data is too short or not sealed with this pair's key
     * @param keys the key pair
     * @param sealed the sealed message
     * @return the decrypted content
     */
    public static byte[] open(PairKeys keys, byte[] sealed) {
        return SecretBox.openWithNoncePrefix(keys.messageKey(), sealed);
    }
}
