/**
 * A durable store for a {@code ScoutNode}: {@link dev.scout.sqlite.StateStore} over a state directory
 * ({@code identity.key} and the SQLite database {@code scout.db}), every change one transaction.
 */
package dev.scout.sqlite;
