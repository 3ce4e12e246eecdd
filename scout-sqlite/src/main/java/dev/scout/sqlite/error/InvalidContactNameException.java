package dev.scout.sqlite.error;

/** A contact name is not 1–64 characters of ASCII letters, digits, '-', '_' or '.'. */
public class InvalidContactNameException extends StateException {

    private static final long serialVersionUID = 1L;

    public InvalidContactNameException(String message) {
        super(message);
    }
}
