package dev.scout.app;

import dev.scout.dht.Ed25519KeyPair;

/** This installation: its identity and how it appears to contacts (docs/app-format.md, kind 1). */
public interface DeviceStore {
    /**
     * {@return this installation's identity key pair}
     *
     * @throws dev.scout.dht.ScoutException with a one-line message if no identity has been created
     */
    Ed25519KeyPair requireIdentity();

    /** {@return this installation's 23-bit device tag, chosen once at random and then kept} */
    int deviceTag();

    /** {@return the device name shown to contacts (at most 32 UTF-8 bytes are published)} */
    String deviceName();
}
