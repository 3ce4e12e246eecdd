package dev.scout.sqlite.error;

/**
 * {@code init} was asked to write a different identity over an existing one without
 * {@code force}: "an identity already exists in DIR (public key …); use --force to replace it".
 */
public class IdentityExistsException extends StateException {

    private static final long serialVersionUID = 1L;

    public IdentityExistsException(String message) {
        super(message);
    }
}
