package dev.scout.dht;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;

/** {@link RoutingTableStore#file(Path)}: one file, replaced atomically. */
final class FileRoutingTableStore implements RoutingTableStore {
    /** A routing table is a few kilobytes; anything larger is not one of ours. */
    static final int MAX_BYTES = 1 << 20;

    private final Path file;

    FileRoutingTableStore(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    @Override
    public Optional<byte[]> load() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new IOException(file + " is too large to be a routing table");
        }
        return Optional.of(Files.readAllBytes(file));
    }

    /** Writes via a synced temporary file and an atomic rename. */
    @Override
    public void save(byte[] data) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(data));
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
