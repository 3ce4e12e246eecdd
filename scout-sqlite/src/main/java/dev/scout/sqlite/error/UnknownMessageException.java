package dev.scout.sqlite.error;

/** No message has the given id (among those received from a contact, or recorded at all). */
public class UnknownMessageException extends StateException {

    private static final long serialVersionUID = 1L;

    public UnknownMessageException(String message) {
        super(message);
    }
}
