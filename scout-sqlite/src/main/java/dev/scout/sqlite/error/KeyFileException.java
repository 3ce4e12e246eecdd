package dev.scout.sqlite.error;

/**
 * {@code identity.key} exists but cannot be used: wrong length, characters that are not hex
 * digits, unreadable. The message says what is wrong and never quotes the file's content.
 */
public class KeyFileException extends StateException {

    private static final long serialVersionUID = 1L;

    public KeyFileException(String message) {
        super(message);
    }

    public KeyFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
