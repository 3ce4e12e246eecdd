/**
 * The {@code scout} command's durable state: {@link dev.scout.sqlite.StateStore} over the state
 * directory ({@code identity.key} and the SQLite database {@code scout.db}).
 */
package dev.scout.sqlite;
