package dev.scout.node.portmap;

/** A gateway refused, garbled or did not answer a mapping request: the message says which, in one line. */
public final class PortMapException extends Exception {
    private static final long serialVersionUID = 1L;

    public PortMapException(String message) {
        super(message);
    }
}
