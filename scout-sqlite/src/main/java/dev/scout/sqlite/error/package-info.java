/**
 * What can go wrong with a state directory: {@link dev.scout.sqlite.error.StateException} and its
 * subclasses (no identity, an identity already there, an unreadable key file, unknown or conflicting
 * contacts, invalid names, unknown messages), each a {@code dev.scout.dht.ScoutException}.
 */
package dev.scout.sqlite.error;
