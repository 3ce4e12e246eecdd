package dev.scout.dht;

/** An item that breaks a BEP 44 rule (size, signature, format). */
public class ItemException extends ScoutException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, one line
     */
    public ItemException(String message) {
        super(message);
    }
}
