package dev.scout.sqlite.error;

import dev.scout.sqlite.db.Names;

/** No contact has the given name: "unknown contact NAME". */
public class UnknownContactException extends StateException {

    private static final long serialVersionUID = 1L;

    private final String name;

    public UnknownContactException(String name) {
        super("unknown contact " + Names.display(name));
        this.name = name;
    }

    /** The name that was looked up. */
    public String name() {
        return name;
    }
}
