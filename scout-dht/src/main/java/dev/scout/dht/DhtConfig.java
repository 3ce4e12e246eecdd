package dev.scout.dht;

import dev.scout.dht.routing.RoutingTableFile;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * Every tunable of a DHT node in one place. Build with {@link #builder()}; the defaults suit the public
 * Mainline DHT.
 *
 * <pre>{@code
 * DhtConfig config = DhtConfig.builder()
 *         .port(6881)
 *         .stateFile(Path.of("dht-state.bencode"))
 *         .build();
 * }</pre>
 *
 * @param bindAddress          local UDP address (port 0 = any free port)
 * @param bootstrap            {@code host:port} routers used when the routing table is empty
 * @param stateStore           where the node id and routing table are saved (null = not saved)
 * @param nodeId               fixed node id, or null to load it from the state file or pick one
 * @param readOnly             BEP 43: announce {@code ro=1} and answer no queries
 * @param alpha                parallel requests per lookup
 * @param requestTimeoutMillis a request unanswered this long has failed
 * @param minSoftTimeoutMillis lower bound of the adaptive "slow request" timeout after which a lookup
 *                             stops waiting for a request and queries the next node
 * @param maxItems             BEP 44 items kept at most
 * @param maxItemBytes         total bytes of BEP 44 values kept at most
 * @param maxPutsPerIpPerMinute BEP 44 puts accepted from one IP per minute
 * @param saveIntervalMillis   how often the routing table is saved while running
 */
public record DhtConfig(InetSocketAddress bindAddress, List<String> bootstrap, RoutingTableStore stateStore, NodeId nodeId,
                        boolean readOnly, int alpha, long requestTimeoutMillis, long minSoftTimeoutMillis,
                        int maxItems, long maxItemBytes, int maxPutsPerIpPerMinute, long saveIntervalMillis) {

    /** The well-known Mainline routers (docs/spec.md §3). */
    public static final List<String> DEFAULT_BOOTSTRAP = List.of(
            "router.bittorrent.com:6881",
            "router.utorrent.com:6881",
            "dht.transmissionbt.com:6881",
            "dht.libtorrent.org:25401");

    /**
     * Checks the settings and copies {@code bootstrap}; {@link IllegalArgumentException} for a bad value.
     *
     * @param bindAddress local UDP address (port 0 = any free port)
     * @param bootstrap {@code host:port} routers used when the routing table is empty
     * @param stateStore where the node id and routing table are saved (null = not saved)
     * @param nodeId fixed node id, or null to load it from the state file or pick one
     * @param readOnly BEP 43: announce {@code ro=1} and answer no queries
     * @param alpha parallel requests per lookup
     * @param requestTimeoutMillis a request unanswered this long has failed
     * @param minSoftTimeoutMillis lower bound of the adaptive "slow request" timeout after which a lookup stops waiting for a request and queries the next node
     * @param maxItems BEP 44 items kept at most
     * @param maxItemBytes total bytes of BEP 44 values kept at most
     * @param maxPutsPerIpPerMinute BEP 44 puts accepted from one IP per minute
     * @param saveIntervalMillis how often the routing table is saved while running
     */
    public DhtConfig {
        bootstrap = List.copyOf(bootstrap);
        if (alpha < 1) {
            throw new IllegalArgumentException("alpha must be at least 1");
        }
        if (requestTimeoutMillis < 1 || minSoftTimeoutMillis < 1) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /**
     * A builder with the defaults for the public Mainline DHT.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from this configuration.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.bindAddress = bindAddress;
        b.bootstrap = bootstrap;
        b.stateStore = stateStore;
        b.nodeId = nodeId;
        b.readOnly = readOnly;
        b.alpha = alpha;
        b.requestTimeoutMillis = requestTimeoutMillis;
        b.minSoftTimeoutMillis = minSoftTimeoutMillis;
        b.maxItems = maxItems;
        b.maxItemBytes = maxItemBytes;
        b.maxPutsPerIpPerMinute = maxPutsPerIpPerMinute;
        b.saveIntervalMillis = saveIntervalMillis;
        return b;
    }

    /** Mutable builder for {@link DhtConfig}. */
    public static final class Builder {
        private InetSocketAddress bindAddress = new InetSocketAddress("0.0.0.0", 0);
        private List<String> bootstrap = DEFAULT_BOOTSTRAP;
        private RoutingTableStore stateStore;
        private NodeId nodeId;
        private boolean readOnly;
        // Measured in the 5,000-node simulation (30 % stale entries, 1 % loss, median RTT 80 ms):
        // alpha 4 → 8 and a 250 → 100 ms soft-timeout floor take mutable-get p50 from 726 to 469 ms and
        // p99 from 1683 to 1033 ms for 28 instead of 20 RPCs per get (docs/benchmarks.md).
        private int alpha = 8;
        private long requestTimeoutMillis = 5_000;
        private long minSoftTimeoutMillis = 100;
        private int maxItems = 10_000;
        private long maxItemBytes = 16L << 20;
        private int maxPutsPerIpPerMinute = 300;
        private long saveIntervalMillis = 5 * 60_000L;

        private Builder() {
        }

        /**
         * The local UDP address to bind (port 0: any free port).
         *
         * @param address the address
         * @return this builder
         */
        public Builder bindAddress(InetSocketAddress address) {
            this.bindAddress = address;
            return this;
        }

        /**
         * Binds all interfaces on {@code port} (0 = any free port).
         *
         * @param port the port
         * @return this builder
         */
        public Builder port(int port) {
            this.bindAddress = new InetSocketAddress(bindAddress.getAddress(), port);
            return this;
        }

        /**
         * The routers to bootstrap from when the routing table is empty.
         *
         * @param hostPorts {@code host:port} strings
         * @return this builder
         */
        public Builder bootstrap(List<String> hostPorts) {
            this.bootstrap = hostPorts;
            return this;
        }

        /**
         * Saves the routing table to {@code file} (atomically replaced); null = not saved.
         *
         * @param file the file to keep the routing table in
         * @return this builder
         */
        public Builder stateFile(Path file) {
            this.stateStore = file == null ? null : RoutingTableStore.file(file);
            return this;
        }

        /**
         * Saves the routing table through a custom store; null = not saved.
         *
         * @param store where to keep the routing table
         * @return this builder
         */
        public Builder stateStore(RoutingTableStore store) {
            this.stateStore = store;
            return this;
        }

        /**
         * A fixed node id instead of the saved or a chosen one.
         *
         * @param id the id
         * @return this builder
         */
        public Builder nodeId(NodeId id) {
            this.nodeId = id;
            return this;
        }

        /**
         * BEP 43: announce {@code ro=1} and answer no queries.
         *
         * @param readOnly true for read-only
         * @return this builder
         */
        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        /**
         * Parallel requests per lookup (default 8).
         *
         * @param alpha at least 1
         * @return this builder
         */
        public Builder alpha(int alpha) {
            this.alpha = alpha;
            return this;
        }

        /**
         * After how long an unanswered request has failed (default 5 s).
         *
         * @param millis milliseconds
         * @return this builder
         */
        public Builder requestTimeoutMillis(long millis) {
            this.requestTimeoutMillis = millis;
            return this;
        }

        /**
         * Lower bound of the adaptive "slow request" timeout of lookups (default 100 ms).
         *
         * @param millis milliseconds
         * @return this builder
         */
        public Builder minSoftTimeoutMillis(long millis) {
            this.minSoftTimeoutMillis = millis;
            return this;
        }

        /**
         * The most BEP 44 items kept for others (default 10,000).
         *
         * @param count the count
         * @return this builder
         */
        public Builder maxItems(int count) {
            this.maxItems = count;
            return this;
        }

        /**
         * The most bytes of BEP 44 values kept for others (default 16 MiB).
         *
         * @param bytes the bytes
         * @return this builder
         */
        public Builder maxItemBytes(long bytes) {
            this.maxItemBytes = bytes;
            return this;
        }

        /**
         * BEP 44 puts accepted from one IP address per minute (default 300).
         *
         * @param count the count
         * @return this builder
         */
        public Builder maxPutsPerIpPerMinute(int count) {
            this.maxPutsPerIpPerMinute = count;
            return this;
        }

        /**
         * How often the routing table is saved while the node runs (default 5 minutes).
         *
         * @param millis milliseconds
         * @return this builder
         */
        public Builder saveIntervalMillis(long millis) {
            this.saveIntervalMillis = millis;
            return this;
        }

        /** {@return the configuration} */
        public DhtConfig build() {
            return new DhtConfig(bindAddress, bootstrap, stateStore, nodeId, readOnly, alpha, requestTimeoutMillis,
                    minSoftTimeoutMillis, maxItems, maxItemBytes, maxPutsPerIpPerMinute, saveIntervalMillis);
        }
    }
}
