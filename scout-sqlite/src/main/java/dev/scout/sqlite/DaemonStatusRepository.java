package dev.scout.sqlite;

import dev.scout.sqlite.db.Database;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** What the daemon reports for {@code scout status}. */
public final class DaemonStatusRepository {
    private static final Set<String> TYPED_STATUS = Set.of(StateStore.STATUS_LAST_REPUBLISH, StateStore.STATUS_LAST_POLL,
            StateStore.STATUS_ROUTING_TABLE_SIZE, StateStore.STATUS_EXTERNAL_ADDRESS);
    private final Database db;

    DaemonStatusRepository(Database db) {
        this.db = db;
    }

    /** The daemon re-stored records and messages at {@code at}. */
    public synchronized void recordRepublish(Instant at) {
        putStatusValue(StateStore.STATUS_LAST_REPUBLISH, Long.toString(at.toEpochMilli()));
    }

    /** The daemon polled its contacts at {@code at}. */
    public synchronized void recordPoll(Instant at) {
        putStatusValue(StateStore.STATUS_LAST_POLL, Long.toString(at.toEpochMilli()));
    }

    /** The daemon's routing table holds {@code size} nodes. */
    public synchronized void recordRoutingTableSize(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("routing table size must not be negative, got " + size);
        }
        putStatusValue(StateStore.STATUS_ROUTING_TABLE_SIZE, Integer.toString(size));
    }

    /** The daemon's external address as the DHT reports it; {@code null} clears it. */
    public synchronized void recordExternalAddress(InetSocketAddress address) {
        if (address == null) {
            db.write("clear a status value", c -> {
                try (PreparedStatement p = c.prepareStatement("DELETE FROM daemon_status WHERE key = ?")) {
                    p.setString(1, StateStore.STATUS_EXTERNAL_ADDRESS);
                    p.executeUpdate();
                }
                return null;
            });
            return;
        }
        putStatusValue(StateStore.STATUS_EXTERNAL_ADDRESS, formatAddress(address));
    }

    /** Any other status value, shown by {@code scout status} under {@link DaemonStatus#other()}. */
    public synchronized void putStatus(String key, String value) {
        SettingsRepository.requireKey(key);
        Objects.requireNonNull(value, "value");
        if (TYPED_STATUS.contains(key)) {
            throw new IllegalArgumentException("the status value " + key + " has its own method");
        }
        putStatusValue(key, value);
    }

    /** Everything the daemon reported. */
    public synchronized DaemonStatus daemonStatus() {
        Map<String, String> values = new HashMap<>();
        long[] newest = {Long.MIN_VALUE};
        db.read("read the daemon status", c -> {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT key, value, updated_at FROM daemon_status")) {
                while (rs.next()) {
                    values.put(rs.getString(1), rs.getString(2));
                    newest[0] = Math.max(newest[0], rs.getLong(3));
                }
            }
            return null;
        });
        Map<String, String> other = new HashMap<>(values);
        other.keySet().removeAll(TYPED_STATUS);
        OptionalInt size = OptionalInt.empty();
        try {
            String raw = values.get(StateStore.STATUS_ROUTING_TABLE_SIZE);
            if (raw != null) {
                size = OptionalInt.of(Integer.parseInt(raw));
            }
        } catch (NumberFormatException e) {
            // unreadable: treat as never reported
        }
        return new DaemonStatus(instantValue(values.get(StateStore.STATUS_LAST_REPUBLISH)), instantValue(values.get(StateStore.STATUS_LAST_POLL)),
                size, Optional.ofNullable(values.get(StateStore.STATUS_EXTERNAL_ADDRESS)),
                newest[0] == Long.MIN_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(newest[0])), other);
    }

    private void putStatusValue(String key, String value) {
        db.write("store the daemon status", c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO daemon_status (key, value, updated_at) "
                    + "VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at")) {
                p.setString(1, key);
                p.setString(2, value);
                p.setLong(3, db.now().toEpochMilli());
                p.executeUpdate();
            }
            return null;
        });
    }

    private static Optional<Instant> instantValue(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.ofEpochMilli(Long.parseLong(raw)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static String formatAddress(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String host = ip == null ? address.getHostString() : ip.getHostAddress();
        if (ip instanceof Inet6Address) {
            int zone = host.indexOf('%');
            host = "[" + (zone >= 0 ? host.substring(0, zone) : host) + "]";
        }
        return host + ":" + address.getPort();
    }
}
