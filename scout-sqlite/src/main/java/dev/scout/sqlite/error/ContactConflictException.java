package dev.scout.sqlite.error;

/**
 * A contact cannot be added because its name is taken by another key, or its key is already
 * known under another name. The message names the existing contact.
 */
public class ContactConflictException extends StateException {

    private static final long serialVersionUID = 1L;

    private final String existingName;

    public ContactConflictException(String message, String existingName) {
        super(message);
        this.existingName = existingName;
    }

    /** The name of the contact already holding the name or key. */
    public String existingName() {
        return existingName;
    }
}
