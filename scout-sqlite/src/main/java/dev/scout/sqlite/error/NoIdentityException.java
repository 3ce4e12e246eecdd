package dev.scout.sqlite.error;

/** The state directory has no {@code identity.key} yet. */
public class NoIdentityException extends StateException {

    private static final long serialVersionUID = 1L;

    public NoIdentityException(String message) {
        super(message);
    }
}
