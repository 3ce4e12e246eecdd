package dev.scout.sqlite.text;

import java.util.regex.Pattern;

/** Safe display of user-supplied text (names, keys) in one-line error messages. */
public final class UserText {

    /** Text shown as is: exactly what a contact name may be (see {@code db.Names}). */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private UserText() {}

    /** {@return whether {@code text} is 1-64 ASCII letters, digits, '-', '_' or '.'} */
    public static boolean isPlain(String text) {
        return PLAIN.matcher(text).matches();
    }

    /**
     * {@code text} as is if it is a valid name; otherwise quoted, with control and non-ASCII characters
     * escaped and the length capped, so an error message stays one printable line whatever the user typed.
     */
    public static String display(String text) {
        if (text == null) {
            return "(none)";
        }
        if (isPlain(text)) {
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
