package dev.scout.cli;

import dev.scout.dht.Addresses;
import dev.scout.dht.DhtConfig;
import dev.scout.dht.DhtNode;
import dev.scout.dht.NodeInfo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * N DHT nodes on 127.0.0.1 (or another loopback address such as ::1) that know each other: the loopback network behind {@code scout testnet} (and
 * the CLI tests). Node 0 is the entry point; every other node bootstraps from it.
 *
 * <pre>{@code
 * try (Testnet net = Testnet.start(40, 46000, 30_000)) {
 *     InetSocketAddress entry = net.entry(); // 127.0.0.1:46000
 * }
 * }</pre>
 */
final class Testnet implements AutoCloseable {
    static final String HOST = "127.0.0.1";
    /** Loopback answers in microseconds; a short timeout keeps lookups past a dead node quick. */
    static final long REQUEST_TIMEOUT_MILLIS = 2_000;

    private final List<DhtNode> nodes;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Testnet(List<DhtNode> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /**
     * Starts {@code count} nodes on 127.0.0.1 ports {@code basePort .. basePort+count-1} (all port 0 =
     * any free port when {@code basePort} is 0) and returns once every routing table is populated.
     *
     * @throws CliException if a port is taken or the network does not converge within {@code timeoutMillis}
     */
    static Testnet start(int count, int basePort, long timeoutMillis) {
        return start(count, basePort, timeoutMillis, HOST);
    }

    /** As above on {@code host} (e.g. {@code ::1} for an IPv6 testnet). */
    static Testnet start(int count, int basePort, long timeoutMillis, String host) {
        if (count < 2) {
            throw new IllegalArgumentException("a testnet needs at least 2 nodes");
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        List<DhtNode> nodes = new ArrayList<>(count);
        try {
            // Node 0 first: everyone else bootstraps from it. The rest start in parallel.
            nodes.add(startNode(host, basePort == 0 ? 0 : basePort,
                    basePort == 0 ? List.of() : List.of(Addresses.format(new InetSocketAddress(host, basePort + 1)))));
            List<String> entry = List.of(Addresses.format(nodes.get(0).localAddress()));
            List<CompletableFuture<DhtNode>> rest = new ArrayList<>();
            ExecutorService starter = Executors.newFixedThreadPool(Math.min(8, count - 1));
            try {
                for (int i = 1; i < count; i++) {
                    int port = basePort == 0 ? 0 : basePort + i;
                    rest.add(CompletableFuture.supplyAsync(() -> startNode(host, port, entry), starter));
                }
                RuntimeException failure = null;
                for (CompletableFuture<DhtNode> f : rest) {
                    try {
                        nodes.add(f.join());
                    } catch (CompletionException e) {
                        failure = failure != null ? failure : e.getCause() instanceof RuntimeException re ? re : e;
                    }
                }
                if (failure != null) {
                    throw failure;
                }
            } finally {
                starter.shutdown();
            }
            Testnet net = new Testnet(nodes);
            net.converge(deadline);
            return net;
        } catch (RuntimeException e) {
            nodes.forEach(DhtNode::close);
            throw e;
        }
    }

    private static DhtNode startNode(String host, int port, List<String> bootstrap) {
        DhtConfig config = DhtConfig.builder()
                .bindAddress(new InetSocketAddress(host, port))
                .bootstrap(bootstrap)
                .requestTimeoutMillis(REQUEST_TIMEOUT_MILLIS)
                .build();
        try {
            return DhtNode.start(config);
        } catch (IOException e) {
            throw new CliException("cannot open UDP port " + Addresses.format(new InetSocketAddress(host, port)) + ": "
                    + ErrorHandler.message(e), e);
        }
    }

    /**
     * Waits for the joins, has every node look itself up once all are up (so early joiners learn of later
     * ones), then polls the routing tables until each holds min(8, N-1) nodes.
     */
    private void converge(long deadline) {
        // Node 0 may have asked node 1 before it existed; it learns the others from their queries.
        for (int i = 1; i < nodes.size(); i++) {
            waitQuietly(nodes.get(i).bootstrapped(), deadline);
        }
        List<CompletableFuture<List<NodeInfo>>> lookups = new ArrayList<>();
        for (DhtNode n : nodes) {
            lookups.add(n.findNode(n.id()));
        }
        lookups.forEach(f -> waitQuietly(f, deadline));
        int want = Math.min(8, nodes.size() - 1);
        long nextNudge = System.nanoTime();
        while (true) {
            List<Integer> lagging = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) {
                List<NodeInfo> table = waitQuietly(nodes.get(i).routingTable(), deadline);
                if (table == null || table.size() < want) {
                    lagging.add(i);
                }
            }
            if (lagging.isEmpty()) {
                return;
            }
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                throw new CliException("testnet did not come up: " + lagging.size() + " of " + nodes.size()
                        + " nodes still have fewer than " + want + " routing-table entries");
            }
            if (now - nextNudge >= 0) {
                for (int i : lagging) {
                    nodes.get(i).findNode(nodes.get(i).id()); // fills the table as a side effect
                }
                nextNudge = now + TimeUnit.MILLISECONDS.toNanos(500);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted");
            }
        }
    }

    /** The value, or null on failure or when the deadline passes. */
    private static <T> T waitQuietly(CompletableFuture<T> f, long deadline) {
        long left = deadline - System.nanoTime();
        try {
            return f.get(Math.max(1, left), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    List<DhtNode> nodes() {
        return nodes;
    }

    /** Node 0's address, the one to bootstrap from. */
    InetSocketAddress entry() {
        return nodes.get(0).localAddress();
    }

    /** Closes every node; returns false if it was already closed. */
    boolean closeOnce() {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        nodes.parallelStream().forEach(DhtNode::close);
        return true;
    }

    @Override
    public void close() {
        closeOnce();
    }
}
