package dev.scout.dht;

/**
 * A peer public key has small order, so a key exchange with it would yield a
 * predictable (all-zero) shared secret. Such a key is never produced by honest
 * key generation and is rejected outright.
 *
 * <pre>{@code
 * KeyExchange.sharedSecret(me, Ed25519PublicKey.of(identityPoint)); // throws LowOrderKeyException
 * }</pre>
 */
public class LowOrderKeyException extends ScoutException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, one line
     */
    public LowOrderKeyException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong, one line
     * @param cause the underlying failure
     */
    public LowOrderKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
