package dev.scout.sqlite.db;

import dev.scout.sqlite.error.StateException;
import dev.scout.dht.RoutingTableStore;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;

/** The public DHT's routing table, one row in the database. */
public final class RoutingTableRepository {
    private final Database db;

    public RoutingTableRepository(Database db) {
        this.db = db;
    }

    /**
     * A {@link RoutingTableStore} keeping the node's id, routing table and external address as one
     * row (the bytes the node saves; the node decides whether they are usable). Hand it to {@code DhtConfig.Builder.stateStore}. It
     * shares this store's connection and lock: a save waits for a method running on another thread,
     * or up to the busy timeout for another process's write.
     */
    public RoutingTableStore routingTableStore() {
        return new RoutingTableStore() {
            @Override
            public Optional<byte[]> load() throws IOException {
                try {
                    return Optional.ofNullable(loadRoutingTable());
                } catch (StateException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }

            @Override
            public void save(byte[] state) throws IOException {
                try {
                    saveRoutingTable(state);
                } catch (StateException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }

            @Override
            public String toString() {
                return db.databaseFile() + " (routing_table)";
            }
        };
    }

    private synchronized byte[] loadRoutingTable() {
        return db.read("load the routing table", c -> {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT state FROM routing_table WHERE slot = 1")) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        });
    }

    private synchronized void saveRoutingTable(byte[] data) {
        db.write("save the routing table", c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO routing_table (slot, state, saved_at) "
                    + "VALUES (1, ?, ?) ON CONFLICT (slot) DO UPDATE SET state = excluded.state, saved_at = excluded.saved_at")) {
                p.setBytes(1, data);
                p.setLong(2, db.now().toEpochMilli());
                p.executeUpdate();
            }
            return null;
        });
    }
}
