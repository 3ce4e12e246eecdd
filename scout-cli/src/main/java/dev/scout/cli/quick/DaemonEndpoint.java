package dev.scout.cli.quick;

import dev.scout.cli.client.JsonReader;
import dev.scout.cli.client.JsonValues;
import dev.scout.cli.client.LocalApi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The running daemon as {@code daemon.json} names it (docs/spec.md §6), read without Jackson: its API's
 * URL and token and its process id. Same rules as the commands' {@code DaemonFile}: at most 4 kB, a
 * loopback URL, a text token, a numeric pid; anything else is no daemon.
 *
 * @param url   the API's base URL
 * @param token the bearer token
 * @param pid   the daemon's process id
 */
record DaemonEndpoint(String url, String token, long pid) {
    private static final long MAX_BYTES = 4096;

    /** The daemon serving {@code stateDir}: its file is sound, its process alive and its health check answers. */
    static Optional<DaemonEndpoint> find(Path stateDir) {
        // Plain code, no lambdas: the first lambda of a JVM sets up method handles, a cost this path avoids.
        Optional<DaemonEndpoint> d = read(stateDir);
        if (d.isEmpty()) {
            return d;
        }
        return alive(d.get().pid) && d.get().api().healthy() ? d : Optional.empty();
    }

    /**
     * Whether process {@code pid} is alive: {@code /proc/PID} where there is a {@code /proc} (Linux), as
     * {@code ProcessHandle} finds it there, without the thread pool and method handles it sets up first
     * (≈ 10 ms of a quick command's start-up); else {@code ProcessHandle}.
     */
    static boolean alive(long pid) {
        Path proc = Path.of("/proc");
        if (Files.isDirectory(proc.resolve("self"))) {
            return pid > 0 && Files.isDirectory(proc.resolve(Long.toString(pid)));
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        return process.isPresent() && process.get().isAlive();
    }

    static Optional<DaemonEndpoint> read(Path stateDir) {
        try {
            Path file = stateDir.resolve("daemon.json");
            if (Files.size(file) > MAX_BYTES) {
                return Optional.empty();
            }
            Object n = JsonReader.parse(Files.readString(file, StandardCharsets.UTF_8));
            if (JsonValues.path(n, "url") instanceof String url && JsonValues.path(n, "token") instanceof String token
                    && JsonValues.path(n, "pid") instanceof Number pid && (pid instanceof Integer || pid instanceof Long)
                    && url.startsWith("http://127.0.0.1:")) {
                return Optional.of(new DaemonEndpoint(url, token, pid.longValue()));
            }
            return Optional.empty();
        } catch (IOException | JsonReader.MalformedJsonException | RuntimeException e) {
            return Optional.empty();
        }
    }

    LocalApi api() {
        return new LocalApi(url, token);
    }

    @Override
    public String toString() {
        return "DaemonEndpoint[url=" + url + ", pid=" + pid + "]"; // never the token
    }
}
