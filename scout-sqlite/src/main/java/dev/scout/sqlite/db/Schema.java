package dev.scout.sqlite.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The versioned schema of {@code scout.db}. {@code PRAGMA user_version} holds the version;
 * {@link #MIGRATIONS}{@code [i]} upgrades version {@code i} to {@code i + 1}. A new version
 * appends a step and never edits an old one.
 */
public final class Schema {

    /** {@code PRAGMA application_id}: ASCII "SCOT", so a foreign SQLite file is recognized. */
    public static final int APPLICATION_ID = 0x53434F54;

    public static final List<List<String>> MIGRATIONS = List.of(
            // 0 -> 1: the initial schema.
            List.of(
                    "CREATE TABLE settings (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)",
                    "CREATE TABLE contacts (id INTEGER PRIMARY KEY, "
                            + "name TEXT NOT NULL UNIQUE COLLATE NOCASE, "
                            + "public_key BLOB NOT NULL UNIQUE CHECK (length(public_key) = 32), "
                            + "added_at INTEGER NOT NULL)",
                    "CREATE TABLE entries (contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE, "
                            + "entry_id INTEGER NOT NULL, seq INTEGER NOT NULL, flags INTEGER NOT NULL, "
                            + "content BLOB NOT NULL, PRIMARY KEY (contact_id, entry_id)) WITHOUT ROWID",
                    "CREATE TABLE outbox_heads (contact_id INTEGER PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE, "
                            + "head BLOB NOT NULL CHECK (length(head) = 20))",
                    "CREATE TABLE outgoing (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
                            + "contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE, "
                            + "message_id BLOB NOT NULL CHECK (length(message_id) = 20), "
                            + "next_id BLOB NOT NULL CHECK (length(next_id) = 20), "
                            + "value BLOB NOT NULL, created_at INTEGER NOT NULL, "
                            + "delivered INTEGER NOT NULL DEFAULT 0, UNIQUE (contact_id, message_id))",
                    "CREATE INDEX outgoing_undelivered ON outgoing (contact_id, seq) WHERE delivered = 0",
                    "CREATE TABLE received (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
                            + "contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE, "
                            + "device_tag INTEGER NOT NULL, message_id BLOB NOT NULL CHECK (length(message_id) = 20), "
                            + "text TEXT NOT NULL, sent_at INTEGER NOT NULL, received_at INTEGER NOT NULL, "
                            + "is_read INTEGER NOT NULL DEFAULT 0, UNIQUE (contact_id, message_id))",
                    "CREATE INDEX received_by_device ON received (contact_id, device_tag, seq)",
                    "CREATE TABLE read_marks (contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE, "
                            + "device_tag INTEGER NOT NULL, message_id BLOB NOT NULL CHECK (length(message_id) = 20), "
                            + "updated_at INTEGER NOT NULL, PRIMARY KEY (contact_id, device_tag)) WITHOUT ROWID",
                    "CREATE TABLE routing_table (slot INTEGER PRIMARY KEY CHECK (slot = 1), state BLOB NOT NULL, "
                            + "saved_at INTEGER NOT NULL)",
                    "CREATE TABLE daemon_status (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL, "
                            + "updated_at INTEGER NOT NULL)"),
            // 1 -> 2: fetching and reading part ways. Fetch marks start where the read marks were (those
            // were set by fetching until now); outgoing messages remember whether a DHT node stored them.
            List.of(
                    "CREATE TABLE fetch_marks (contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE, "
                            + "device_tag INTEGER NOT NULL, message_id BLOB NOT NULL CHECK (length(message_id) = 20), "
                            + "updated_at INTEGER NOT NULL, PRIMARY KEY (contact_id, device_tag)) WITHOUT ROWID",
                    "INSERT INTO fetch_marks SELECT contact_id, device_tag, message_id, updated_at FROM read_marks",
                    "ALTER TABLE outgoing ADD COLUMN stored INTEGER NOT NULL DEFAULT 0",
                    "UPDATE outgoing SET stored = 1"));

    /** The version this code writes. */
    public static final int CURRENT_VERSION = MIGRATIONS.size();

    private Schema() {}

    public static int userVersion(Connection c) throws SQLException {
        return intPragma(c, "user_version");
    }

    public static int applicationId(Connection c) throws SQLException {
        return intPragma(c, "application_id");
    }

    private static int intPragma(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /**
     * Applies the migrations from {@code from} up to {@code to} on {@code c}; the caller holds a write
     * transaction, so a crash leaves the old version intact.
     */
    public static void migrate(Connection c, int from, int to) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (int version = from; version < to; version++) {
                for (String sql : MIGRATIONS.get(version)) {
                    s.execute(sql);
                }
            }
            s.execute("PRAGMA application_id = " + APPLICATION_ID);
            s.execute("PRAGMA user_version = " + to);
        }
    }
}
