package dev.scout.cli.common;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scout.cli.api.Jackson;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * {@code daemon.json} in the state directory: how the other commands find the running daemon (docs/spec.md §6).
 * Written atomically with mode 0600 (it holds the API token), removed when the daemon exits cleanly.
 *
 * @param url   the local API's base URL, {@code http://127.0.0.1:PORT}
 * @param token the bearer token (random, 256 bits)
 * @param pid   the daemon's process id
 */
public record DaemonFile(String url, String token, long pid) {
    public static final String NAME = "daemon.json";
    /** Larger files are not ours: never read more. */
    private static final long MAX_BYTES = 4096;

    public static Path path(Path stateDir) {
        return stateDir.resolve(NAME);
    }

    /** The file's content; empty if there is none or it is not a daemon file (a torn or foreign file). */
    public static Optional<DaemonFile> read(Path stateDir) {
        Path file = path(stateDir);
        try {
            if (Files.size(file) > MAX_BYTES) {
                return Optional.empty();
            }
            JsonNode n = Jackson.parse(Files.readString(file, StandardCharsets.UTF_8));
            if (n.path("url").isTextual() && n.path("token").isTextual() && n.path("pid").canConvertToLong()
                    && n.get("url").asText().startsWith("http://127.0.0.1:")) {
                return Optional.of(new DaemonFile(n.get("url").asText(), n.get("token").asText(), n.get("pid").asLong()));
            }
            return Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Whether the process it names is alive. */
    public boolean processAlive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Writes it atomically: a 0600 temporary file, fsync, rename. */
    public void write(Path stateDir) throws IOException {
        Path tmp = stateDir.resolve(NAME + ".tmp-" + ProcessHandle.current().pid());
        Files.deleteIfExists(tmp);
        if (stateDir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(tmp);
        }
        byte[] json = Jackson.line(Jackson.object().put("url", url).put("token", token).put("pid", pid))
                .getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(json));
            ch.force(true);
        }
        try {
            Files.move(tmp, path(stateDir), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, path(stateDir), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Removes the file if it is still this one (a newer daemon's file is left alone). */
    public void deleteIfOurs(Path stateDir) {
        if (read(stateDir).filter(f -> f.token().equals(token)).isPresent()) {
            try {
                Files.deleteIfExists(path(stateDir));
            } catch (IOException e) {
                // best effort: a stale file is detected as such (dead pid, no answer)
            }
        }
    }

    @Override
    public String toString() {
        return "DaemonFile[url=" + url + ", pid=" + pid + "]"; // never the token
    }
}
