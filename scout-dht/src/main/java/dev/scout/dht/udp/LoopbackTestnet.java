package dev.scout.dht.udp;

import dev.scout.dht.Addresses;
import dev.scout.dht.DhtConfig;
import dev.scout.dht.DhtException;
import dev.scout.dht.NodeInfo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
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
 * A small Mainline DHT of {@link DhtNode}s on 127.0.0.1 that know each other, for testing code built on
 * the DHT without the Internet. Node 0 is the entry point; every other node bootstraps from it. Point
 * your own nodes at it with {@link #nodeConfig()}.
 *
 * <pre>{@code
 * try (LoopbackTestnet testnet = LoopbackTestnet.start(20);
 *      DhtNode mine = DhtNode.start(testnet.nodeConfig().build())) {
 *     mine.bootstrapped().get(30, TimeUnit.SECONDS);
 *     PutResult put = mine.putImmutable(ImmutableItem.ofText("hello")).get();
 * }
 * }</pre>
 */
public final class LoopbackTestnet implements AutoCloseable {
    /** The address every node binds by default. */
    public static final String HOST = "127.0.0.1";
    /** Loopback answers in microseconds; a short request timeout keeps lookups past a dead node quick. */
    public static final long REQUEST_TIMEOUT_MILLIS = 2_000;
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final List<DhtNode> nodes;
    private final String host;
    /** Kept apart from the nodes: a closed node no longer tells its port. */
    private final List<Integer> ports;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LoopbackTestnet(List<DhtNode> nodes, String host) {
        this.nodes = List.copyOf(nodes);
        this.host = host;
        this.ports = nodes.stream().map(n -> n.localAddress().getPort()).toList();
    }

    /**
     * Starts {@code count} nodes on free ports of 127.0.0.1 and returns once every routing table is
     * populated (at most a minute).
     *
     * @throws DhtException if a socket cannot be opened or the network does not converge in time
     * @param count the count
     * @return the loopback testnet
     */
    public static LoopbackTestnet start(int count) {
        return start(count, 0, DEFAULT_TIMEOUT);
    }

    /**
     * Starts {@code count} nodes on 127.0.0.1 ports {@code basePort .. basePort+count-1} (any free ports
     * when {@code basePort} is 0) and returns once every routing table holds min(8, count-1) nodes.
     *
     * @throws IllegalArgumentException if {@code count} is below 2
     * @throws DhtException if a port is taken or the network does not converge within {@code timeout}
     * @param count the count
     * @param basePort the base port
     * @param timeout how long to wait for the routing tables to fill
     * @return the loopback testnet
     */
    public static LoopbackTestnet start(int count, int basePort, Duration timeout) {
        return start(count, basePort, timeout, HOST);
    }

    /**
     * As {@link #start(int, int, Duration)}, on another loopback address: {@code ::1} runs an IPv6 testnet.
     *
     * @param count the count
     * @param basePort the base port (0 = any free ports)
     * @param timeout how long to wait for the routing tables to fill
     * @param host the loopback address every node binds, e.g. {@code 127.0.0.1} or {@code ::1}
     * @return the loopback testnet
     */
    public static LoopbackTestnet start(int count, int basePort, Duration timeout, String host) {
        if (count < 2) {
            throw new IllegalArgumentException("a testnet needs at least 2 nodes");
        }
        List<Integer> ports = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ports.add(basePort == 0 ? 0 : basePort + i);
        }
        return start(ports, timeout, host);
    }

    /**
     * Closes this testnet (if still open) and starts a new one on the same addresses: a whole network
     * that went away and came back (new node ids, empty tables). For outage tests.
     *
     * @param timeout how long to wait for the routing tables to fill
     * @return the new testnet
     */
    public LoopbackTestnet restart(Duration timeout) {
        closeOnce();
        return start(ports, timeout, host);
    }

    /** Nodes on {@code ports} (0 = any free port); node 0 bootstraps from node 1 when ports are fixed. */
    private static LoopbackTestnet start(List<Integer> ports, Duration timeout, String host) {
        int count = ports.size();
        long deadline = System.nanoTime() + timeout.toNanos();
        List<DhtNode> nodes = new ArrayList<>(count);
        try {
            // Node 0 first: everyone else bootstraps from it. The rest start in parallel.
            nodes.add(startNode(host, ports.get(0),
                    ports.get(0) == 0 ? List.of() : List.of(Addresses.format(new InetSocketAddress(host, ports.get(1))))));
            List<String> entry = List.of(Addresses.format(nodes.get(0).localAddress()));
            List<CompletableFuture<DhtNode>> rest = new ArrayList<>();
            ExecutorService starter = Executors.newFixedThreadPool(Math.min(8, count - 1));
            try {
                for (int i = 1; i < count; i++) {
                    int port = ports.get(i);
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
            LoopbackTestnet net = new LoopbackTestnet(nodes, host);
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
            throw new DhtException("cannot open UDP port " + Addresses.format(new InetSocketAddress(host, port)) + ": "
                    + e.getMessage(), e);
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
                throw new DhtException("testnet did not come up: " + lagging.size() + " of " + nodes.size()
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
                throw new DhtException("interrupted");
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
            throw new DhtException("interrupted");
        }
    }

    /** {@return the testnet's nodes; node 0 is the entry point} */
    public List<DhtNode> nodes() {
        return nodes;
    }

    /**
     * Node 0's address, the one to bootstrap from.
     *
     * @return the inet socket address
     */
    public InetSocketAddress entry() {
        return nodes.get(0).localAddress();
    }

    /**
     * {@link #entry()} as a bootstrap list for {@link DhtConfig.Builder#bootstrap(List)}.
     *
     * @return the entry point as a one-element {@code host:port} list
     */
    public List<String> bootstrap() {
        return List.of(Addresses.format(entry()));
    }

    /**
     * The configuration of one more node on this testnet: 127.0.0.1 on a free port, bootstrapping from
     * {@link #entry()}, with the testnet's short request timeout. Change what you need, then
     * {@code build()}.
     *
     * @return the configuration of one more node on this testnet: 127.0.0.1 on a free port, bootstrapping from {@link #entry()}, with the testnet's short request timeout
     */
    public DhtConfig.Builder nodeConfig() {
        return DhtConfig.builder()
                .bindAddress(new InetSocketAddress(host, 0))
                .bootstrap(bootstrap())
                .requestTimeoutMillis(REQUEST_TIMEOUT_MILLIS);
    }

    /**
     * Closes every node; returns false if it was already closed.
     *
     * @return false if it was already closed
     */
    public boolean closeOnce() {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        nodes.parallelStream().forEach(DhtNode::close);
        return true;
    }

    /** Closes every node. Idempotent. */
    @Override
    public void close() {
        closeOnce();
    }
}
