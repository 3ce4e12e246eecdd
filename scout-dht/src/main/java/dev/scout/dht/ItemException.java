package dev.scout.dht;

/** An item that breaks a BEP 44 rule (size, signature, format). */
public class ItemException extends ScoutException {
    private static final long serialVersionUID = 1L;

    public ItemException(String message) {
        super(message);
    }
}
