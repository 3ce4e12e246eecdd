package dev.scout.sqlite.db;

import dev.scout.sqlite.error.InvalidContactNameException;
import dev.scout.sqlite.text.UserText;

/** Contact-name rules. */
public final class Names {

    /** Longest contact name (as {@link UserText#isPlain} counts). */
    public static final int MAX_NAME_CHARS = 64;

    private Names() {}

    /** @throws InvalidContactNameException saying what is wrong with {@code name} */
    public static String requireValid(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidContactNameException("a contact name must not be empty");
        }
        if (name.length() > MAX_NAME_CHARS) {
            throw new InvalidContactNameException("contact name " + UserText.display(name) + " is " + name.length()
                    + " characters long, at most " + MAX_NAME_CHARS + " allowed");
        }
        if (!UserText.isPlain(name)) {
            throw new InvalidContactNameException("invalid contact name " + UserText.display(name)
                    + ": use 1-" + MAX_NAME_CHARS + " ASCII letters, digits, '-', '_' or '.'");
        }
        if (name.equals(".") || name.equals("..")) {
            // They would read as path steps in /v1/contacts/{name} and in file names.
            throw new InvalidContactNameException("invalid contact name " + name + ": '.' and '..' are not names");
        }
        return name;
    }
}
