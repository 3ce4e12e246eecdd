package dev.scout.dht.routing;

import java.io.IOException;
import java.util.Optional;

/**
 * Where a node keeps its id and routing table between runs. {@link RoutingTableFile#store} is the
 * default (an atomically replaced file); applications with a database of their own can plug that in.
 * Called on the node's I/O thread, on close and every few minutes: keep it quick.
 */
public interface RoutingTableStore {
    Optional<RoutingTableFile.State> load() throws IOException;

    void save(RoutingTableFile.State state) throws IOException;
}
