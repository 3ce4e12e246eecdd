package dev.scout.sqlite.error;

import dev.scout.sqlite.text.UserText;

/** No contact has the given name: "unknown contact NAME". */
public class UnknownContactException extends StateException {

    private static final long serialVersionUID = 1L;

    private final String name;

    public UnknownContactException(String name) {
        super("unknown contact " + UserText.display(name));
        this.name = name;
    }

    /** The name that was looked up. */
    public String name() {
        return name;
    }
}
