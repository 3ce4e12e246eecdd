package dev.scout.dht.interop;

import dev.scout.dht.Addresses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Real libtorrent DHT nodes on 127.0.0.1, run by {@code interop/lt_nodes.py} under Debian's
 * {@code python3-libtorrent} and driven over its JSON-lines protocol. Fails loudly when libtorrent is
 * missing: the interop suite is never skipped.
 */
final class LibtorrentNodes implements AutoCloseable {
    static final String PYTHON = "/usr/bin/python3";

    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "lt-nodes-reader");
        t.setDaemon(true);
        return t;
    });
    private final List<Node> nodes = new ArrayList<>();
    private int nextId;

    record Node(int index, InetSocketAddress address, String nodeId) {
    }

    private LibtorrentNodes(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /** Starts {@code count} libtorrent nodes that know about {@code bootstrap} (our nodes). */
    static LibtorrentNodes start(int count, List<InetSocketAddress> bootstrap) throws Exception {
        return start(count, bootstrap, "127.0.0.1");
    }

    /** As above, every libtorrent node bound to {@code host} (127.0.0.1 or ::1). */
    static LibtorrentNodes start(int count, List<InetSocketAddress> bootstrap, String host) throws Exception {
        Path script = locateScript();
        Exception last = null;
        Random random = new Random();
        for (int attempt = 0; attempt < 4; attempt++) {
            int base = freePortRange(count, random, InetAddress.getByName(host));
            StringJoiner boot = new StringJoiner(",");
            bootstrap.forEach(a -> boot.add(Addresses.format(new InetSocketAddress(host, a.getPort()))));
            List<String> command = new ArrayList<>(List.of(PYTHON, script.toString(), "--nodes", Integer.toString(count),
                    "--base-port", Integer.toString(base), "--host", host));
            if (!bootstrap.isEmpty()) {
                command.add("--bootstrap");
                command.add(boot.toString());
            }
            ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
            LibtorrentNodes lt = new LibtorrentNodes(pb.start());
            try {
                Map<String, Object> ready = lt.readLine(60);
                if (!"ready".equals(ready.get("event"))) {
                    throw new IllegalStateException("libtorrent driver failed: " + ready);
                }
                for (Object o : (List<?>) ready.get("nodes")) {
                    Map<?, ?> n = (Map<?, ?>) o;
                    lt.nodes.add(new Node(((Number) n.get("index")).intValue(),
                            new InetSocketAddress(host, ((Number) n.get("port")).intValue()), (String) n.get("node_id")));
                }
                return lt;
            } catch (Exception e) {
                last = e;
                lt.close();
            }
        }
        throw new IllegalStateException("could not start libtorrent nodes", last);
    }

    private static Path locateScript() {
        for (Path p : List.of(Path.of("interop", "lt_nodes.py"), Path.of("..", "interop", "lt_nodes.py"))) {
            if (Files.isRegularFile(p)) {
                return p.toAbsolutePath();
            }
        }
        throw new IllegalStateException("interop/lt_nodes.py not found from " + Path.of("").toAbsolutePath());
    }

    private static int freePortRange(int count, Random random, InetAddress host) throws IOException {
        for (int tries = 0; tries < 50; tries++) {
            int base = 20_000 + random.nextInt(30_000);
            boolean free = true;
            for (int p = base; p < base + count + 2 && free; p++) {
                try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(host, p))) {
                    s.getLocalPort();
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IOException("no free port range");
    }

    List<Node> nodes() {
        return nodes;
    }

    Node node(int i) {
        return nodes.get(i);
    }

    /**
     * Sends one command and waits for its reply. {@code fields} alternate names and values (strings
     * are quoted, numbers and booleans written as is).
     */
    synchronized Map<String, Object> call(String cmd, Object... fields) throws Exception {
        int id = ++nextId;
        StringBuilder b = new StringBuilder("{\"id\":").append(id).append(",\"cmd\":").append(Json.quote(cmd));
        double timeout = 20;
        for (int k = 0; k < fields.length; k += 2) {
            Object v = fields[k + 1];
            b.append(',').append(Json.quote((String) fields[k])).append(':');
            if (v instanceof String s) {
                b.append(Json.quote(s));
            } else if (v instanceof List<?> l) {
                StringJoiner j = new StringJoiner(",", "[", "]");
                l.forEach(x -> j.add(Json.quote(x.toString())));
                b.append(j);
            } else {
                b.append(v);
            }
            if (fields[k].equals("timeout")) {
                timeout = ((Number) v).doubleValue();
            }
        }
        in.write(b.append("}\n").toString());
        in.flush();
        Map<String, Object> reply = readLine(timeout + 15);
        if (((Number) reply.get("id")).intValue() != id) {
            throw new IllegalStateException("reply out of order: " + reply);
        }
        return reply;
    }

    /** As {@link #call} but fails unless the reply says ok. */
    Map<String, Object> ok(String cmd, Object... fields) throws Exception {
        Map<String, Object> reply = call(cmd, fields);
        if (!Boolean.TRUE.equals(reply.get("ok"))) {
            throw new AssertionError("libtorrent " + cmd + " failed: " + reply);
        }
        return reply;
    }

    private Map<String, Object> readLine(double timeoutSeconds) throws Exception {
        Future<String> line = reader.submit(out::readLine);
        String text = line.get((long) (timeoutSeconds * 1000), TimeUnit.MILLISECONDS);
        if (text == null) {
            throw new IllegalStateException("libtorrent driver exited (status " + process.waitFor() + ")");
        }
        return Json.object(text);
    }

    @Override
    public void close() {
        try {
            in.write("{\"id\":0,\"cmd\":\"quit\"}\n");
            in.flush();
            in.close();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        reader.shutdownNow();
    }
}
