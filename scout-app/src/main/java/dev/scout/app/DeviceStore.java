package dev.scout.app;

import dev.scout.core.crypto.Identity;

/** This installation: its identity and how it appears to contacts (docs/app-format.md, kind 1). */
public interface DeviceStore {
    /** The identity; fails with a one-line {@link dev.scout.core.ScoutException} if there is none. */
    Identity requireIdentity();

    /** This installation's 23-bit device tag, chosen once at random and then kept. */
    int deviceTag();

    /** The device name shown to contacts (at most 32 UTF-8 bytes). */
    String deviceName();
}
