package dev.scout.sqlite;

import dev.scout.dht.Ed25519KeyPair;

/**
 * What {@link StateStore#initIdentity} did.
 *
 * @param identity the identity now in the state directory
 * @param outcome whether it was created, already there, or replaced an older one
 */
public record IdentityInit(Ed25519KeyPair identity, Outcome outcome) {

    /** What happened to {@code identity.key}. */
    public enum Outcome {
        /** There was no identity; this one was written. */
        CREATED,
        /** The same identity was already there; nothing was written. */
        UNCHANGED,
        /** A different (or unreadable) identity was replaced because {@code force} was given. */
        REPLACED
    }
}
