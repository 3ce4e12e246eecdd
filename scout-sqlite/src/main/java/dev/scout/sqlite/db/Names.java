package dev.scout.sqlite.db;


import dev.scout.sqlite.error.InvalidContactNameException;
import java.util.regex.Pattern;

/** Contact-name rules and safe display of user-supplied text in one-line error messages. */
public final class Names {

    /** Longest contact name. */
    public static final int MAX_NAME_CHARS = 64;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_NAME_CHARS + "}");

    private Names() {}

    /** @throws InvalidContactNameException saying what is wrong with {@code name} */
    public static String requireValid(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidContactNameException("a contact name must not be empty");
        }
        if (name.length() > MAX_NAME_CHARS) {
            throw new InvalidContactNameException("contact name " + display(name) + " is " + name.length()
                    + " characters long, at most " + MAX_NAME_CHARS + " allowed");
        }
        if (!NAME.matcher(name).matches()) {
            throw new InvalidContactNameException("invalid contact name " + display(name)
                    + ": use 1-" + MAX_NAME_CHARS + " ASCII letters, digits, '-', '_' or '.'");
        }
        if (name.equals(".") || name.equals("..")) {
            // They would read as path steps in /v1/contacts/{name} and in file names.
            throw new InvalidContactNameException("invalid contact name " + name + ": '.' and '..' are not names");
        }
        return name;
    }

    /**
     * {@code text} as is if it is a valid name; otherwise quoted, with control and non-ASCII characters
     * escaped and the length capped, so an error message stays one printable line whatever the user typed.
     */
    public static String display(String text) {
        if (text == null) {
            return "(none)";
        }
        if (NAME.matcher(text).matches()) {
            return text;
        }
        StringBuilder out = new StringBuilder("'");
        int limit = Math.min(text.length(), 80);
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7F) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        if (text.length() > limit) {
            out.append("...");
        }
        return out.append('\'').toString();
    }
}
