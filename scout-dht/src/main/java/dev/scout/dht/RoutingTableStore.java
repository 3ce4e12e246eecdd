package dev.scout.dht;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a node keeps its id and routing table between runs, as one opaque blob of bytes that the node
 * encodes and decodes itself. {@link #file(Path)} is the default (an atomically replaced file);
 * applications with a database of their own can plug that in. Called on the node's I/O thread, on
 * close and every few minutes: keep it quick.
 */
public interface RoutingTableStore {
    /**
     * The bytes last saved, or empty if nothing was saved yet.
     *
     * @return the bytes last saved, or empty if nothing was saved yet
     * @throws java.io.IOException if the operation fails
     */
    Optional<byte[]> load() throws IOException;

    /**
     * Replaces the saved bytes.
     *
     * @param state the bytes to keep
     * @throws java.io.IOException if the operation fails
     */
    void save(byte[] state) throws IOException;

    /**
     * A store backed by {@code file}: written to a synced temporary file and atomically renamed, so a
     * crash leaves either the old or the new file, never a torn one.
     *
     * @param file the file to keep the bytes in
     * @return a store backed by {@code file}: written to a synced temporary file and atomically renamed, so a crash leaves either the old or the new file, never a torn one
     */
    static RoutingTableStore file(Path file) {
        return new FileRoutingTableStore(file);
    }
}
