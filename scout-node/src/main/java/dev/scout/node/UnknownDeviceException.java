package dev.scout.node;

import dev.scout.dht.ScoutException;

/** A session was asked of one named device of a contact, and the contact has no device of that name. */
public class UnknownDeviceException extends ScoutException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which contact and device, and the device names the contact has, one line
     */
    public UnknownDeviceException(String message) {
        super(message);
    }
}
